"""The built-in motion-language corpus: procedural clips with captions, in HumanML3D's layout.

HumanML3D cannot be downloaded here, so the product makes its own: actions built by forward
kinematics and leg IK on the skeleton (kinematics, gaits, actions), captions from a grammar
(captions), one clip per (seed, index) (clip), written with Mean/Std and splits (writer), and a
contact sheet to look at it (contact_sheet).
"""
from __future__ import annotations

from .clip import ACTION_NAMES, FAMILIES, Clip, generate_clip
from .writer import generate_corpus


def render_contact_sheet(data_dir, out_png, per_action: int = 1):
    """See contact_sheet.render_contact_sheet (imported lazily: it pulls in matplotlib)."""
    from .contact_sheet import render_contact_sheet as _render

    return _render(data_dir, out_png, per_action=per_action)


__all__ = ["generate_corpus", "generate_clip", "Clip", "ACTION_NAMES", "FAMILIES", "render_contact_sheet"]
