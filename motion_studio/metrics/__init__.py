"""Pure metric math (numpy + the caption scorers), below every model and evaluation module:
motion.py (FID, R-precision, MM-Dist, Diversity, token accuracy), text.py (BLEU, ROUGE-L,
CIDEr-D), continual.py (ACC, BWT, FWT, Forgetting)."""
