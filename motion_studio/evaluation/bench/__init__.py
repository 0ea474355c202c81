"""The continual benchmark: seven methods, five tasks, accuracy matrices and ACC/BWT/FWT.

    motion-studio bench --preset smoke|default --out results/ [--checkpoint DIR]

    world.py    the evaluation world, from a checkpoint or the training pipeline's own stages
    routing.py  routing studies: decisions per stage, confusion, all test inputs, threshold sweep
    report.py   cell scores, token accuracy, ACC/BWT/FWT, results.json + config.json + plots, the summary table
    run.py      the run: which methods, in which order, what each generates (see its docstring)
Baselines train in training/methods.py; the checkpoint's headline goes in through
checkpoint.record_headline; presets live in training/presets.py.
"""
from .report import (METRICS, T2M_METRICS, cell_scores, format_summary, json_safe, row_token_accuracy, summarise,
                     write_results)
from .routing import (RouteTables, compare_t2m_sources, load_paraphrases, route_all, routing_on_all_test,
                      routing_report, threshold_sweep)
from .run import METHODS, ROUTED, generate_all, plan, run_bench, run_methods
from .world import BenchWorld, EvalItem, T2MScorer, bench_config, build_world, make_scorer, router_inputs

__all__ = [
    "METRICS", "T2M_METRICS", "METHODS", "ROUTED", "BenchWorld", "EvalItem", "T2MScorer", "RouteTables",
    "bench_config", "build_world", "make_scorer", "router_inputs", "route_all", "plan", "generate_all",
    "row_token_accuracy", "run_methods", "run_bench", "routing_report", "routing_on_all_test",
    "compare_t2m_sources", "threshold_sweep", "load_paraphrases", "cell_scores", "summarise",
    "json_safe", "write_results", "format_summary",
]
