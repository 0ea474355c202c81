"""Packaging beyond what pyproject.toml can say: the shipped model and the assets travel with the code.

A plain (non-editable) `pip install .` copies only packages, so the trained model in checkpoints/
and the hand-written files in assets/ are installed as two data-only packages,
`motion_studio_model` (checkpoints/) and `motion_studio_assets` (assets/); motion_studio.checkpoint
looks there after $MOTION_STUDIO_CHECKPOINT and the source checkout.
"""
from setuptools import find_packages, setup

DEEP = ["*", "*/*", "*/*/*", "*/*/*/*"]

setup(
    packages=find_packages(include=["motion_studio", "motion_studio.*"]) + ["motion_studio_model", "motion_studio_assets"],
    package_dir={"motion_studio_model": "checkpoints", "motion_studio_assets": "assets"},
    package_data={"motion_studio_model": [f"default/{g}" for g in DEEP], "motion_studio_assets": ["*.json"]},
)
