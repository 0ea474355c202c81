"""Instruction templates for both directions.

Training samples a template per example so the model follows many phrasings; evaluation
and the app use the first (fixed) one so numbers are comparable. `{caption}` is the text,
`{motion}` marks where the motion tokens go (<som> codes <eom>).
"""
from __future__ import annotations

import random

T2M_TEMPLATES: tuple[str, ...] = (
    "Generate motion: {caption}",
    "Show me a person who {caption}",
    "Animate this: {caption}",
    "Create a motion where {caption}",
    "Make the character do this: {caption}",
    "Motion for the description: {caption}",
    "{caption}",
)

M2T_TEMPLATES: tuple[str, ...] = (
    "Describe the motion: {motion}",
    "What is the person doing? {motion}",
    "Caption this motion: {motion}",
    "{motion} Describe what happens.",
    "Explain the movement {motion} in words.",
    "Give a short description of {motion}",
)

# Optional length hints mentioned in some training prompts (codes are at 5 per second).
LENGTH_HINTS: tuple[str, ...] = (
    " for {seconds} seconds",
    ", lasting {seconds} seconds",
    " ({seconds} s)",
)


def t2m_prompt(caption: str, template: str | None = None) -> str:
    return (template or T2M_TEMPLATES[0]).format(caption=caption.strip())


def split_m2t_template(template: str | None = None) -> tuple[str, str]:
    """Text before and after the motion placeholder."""
    before, _, after = (template or M2T_TEMPLATES[0]).partition("{motion}")
    return before, after


def sample_template(direction: str, rng: random.Random) -> str:
    return rng.choice(T2M_TEMPLATES if direction == "t2m" else M2T_TEMPLATES)


def with_length_hint(prompt: str, seconds: int, rng: random.Random) -> str:
    return prompt.rstrip(" .") + rng.choice(LENGTH_HINTS).format(seconds=seconds)
