"""The motion router's "motion_stats" input: the decoded motion's per-channel summary over time."""
import numpy as np
import pytest
import torch

from motion_studio.errors import InputError
from motion_studio.models.motion_summary import MOTION_STATS_DIM, SUMMARY_CHANNELS, motion_summary
from motion_studio.models.router_inputs import m2t_input_dim, m2t_vectors


def test_summary_channels_are_root_positions_velocities_and_contacts():
    # 4 root + 63 joint positions + 66 joint velocities + 4 contacts; the 126 rotation channels are left out
    assert len(SUMMARY_CHANNELS) == 137 and MOTION_STATS_DIM == 4 * 137
    assert list(SUMMARY_CHANNELS[:5]) == [0, 1, 2, 3, 4] and SUMMARY_CHANNELS[67] == 193
    assert SUMMARY_CHANNELS[-1] == 262 and 100 not in SUMMARY_CHANNELS


def test_motion_summary_is_mean_spread_and_percentiles_over_time():
    feats = np.zeros((4, 263), np.float32)
    feats[:, 3] = [0.9, 0.9, 0.5, 0.5]  # root height: mean 0.7, population std 0.2, 10th % 0.5, 90th % 0.9
    feats[:, 259] = [1, 0, 1, 0]  # a foot contact half the time: mean 0.5, std 0.5, 10th % 0, 90th % 1
    s = motion_summary(feats)
    assert s.shape == (548,)
    assert s[3] == pytest.approx(0.7) and s[137 + 3] == pytest.approx(0.2)
    assert s[274 + 3] == pytest.approx(0.5) and s[411 + 3] == pytest.approx(0.9)
    assert s[133] == pytest.approx(0.5) and s[137 + 133] == pytest.approx(0.5)
    assert s[274 + 133] == pytest.approx(0.0) and s[411 + 133] == pytest.approx(1.0)
    assert np.count_nonzero(s) == 7
    assert motion_summary(feats, ("mean",)).shape == (137,)


class _FakeVQ:
    """Decodes code c to 4 frames whose every channel equals c (mean c, spread 0 per code)."""

    def codes_to_features(self, codes):
        return np.repeat(np.asarray(codes, np.float32), 4)[:, None].repeat(263, 1)


def test_motion_stats_vectors_come_from_the_decoded_motion():
    x = m2t_vectors(None, [[1, 1], [1, 3]], "motion_stats", _FakeVQ())
    assert x.shape == (2, 548) and x.dtype == torch.float32
    assert torch.allclose(x[0], torch.cat([torch.ones(137), torch.zeros(137), torch.ones(274)]))
    # [1]*4 + [3]*4: mean 2, std 1, 10th percentile 1, 90th percentile 3
    assert torch.allclose(x[1], torch.cat([torch.full((137,), v) for v in (2.0, 1.0, 1.0, 3.0)]))
    assert m2t_input_dim(None, "motion_stats") == 548


def test_motion_stats_needs_the_vqvae_and_tokens():
    with pytest.raises(InputError, match="VQ-VAE"):
        m2t_vectors(None, [[1, 2]], "motion_stats")
    with pytest.raises(InputError, match="empty"):
        m2t_vectors(None, [[]], "motion_stats", _FakeVQ())
    with pytest.raises(InputError, match="unknown"):
        m2t_vectors(None, [[1]], "motion_poses")


def test_summary_numbers_have_plain_names():
    from motion_studio.models.motion_summary import SUMMARY_NAMES, SUMMARY_PARTS, channel_name, channel_part

    # channel 62: joint 20 (left wrist) of the pelvis-relative positions 4:67, axis y
    assert channel_name(62) == "left wrist height" and channel_part(62) == "left wrist position"
    assert channel_name(0) == "turning speed" and channel_name(2) == "forward speed"
    assert channel_name(193) == "pelvis side-to-side speed" and channel_part(193) == "pelvis speed"
    assert channel_name(261) == "right heel on the ground" and channel_part(261) == "foot contacts"
    assert len(SUMMARY_NAMES) == len(SUMMARY_PARTS) == MOTION_STATS_DIM
    assert SUMMARY_NAMES[137 + 62] == "left wrist height (spread)" and SUMMARY_NAMES[411 + 62] == "left wrist height (high end)"


def test_error_parts_and_least_familiar_by_hand():
    from motion_studio.models.router import AutoencoderRouter
    from motion_studio.models.motion_summary import least_familiar

    # an autoencoder whose weights are all 0 reconstructs 0: its error is z^2, z = (x - mean) / std
    r = AutoencoderRouter(3, hidden=2, direction="m2t")
    r._put("walking", None, dict(w1=torch.zeros(3, 2), b1=torch.zeros(2), w2=torch.zeros(2, 3), b2=torch.zeros(3),
                                 mean=torch.zeros(3), std=torch.ones(3)))
    parts = r.error_parts(torch.tensor([1.0, 2.0, 2.0]), "walking")
    assert parts[0].tolist() == pytest.approx([1 / 9, 4 / 9, 4 / 9])
    with pytest.raises(InputError, match="unknown expert"):
        r.error_parts(torch.zeros(3), "dancing")

    wide = AutoencoderRouter(MOTION_STATS_DIM, hidden=2, direction="m2t", input_source="motion_stats")
    d = MOTION_STATS_DIM
    wide._put("walking", None, dict(w1=torch.zeros(d, 2), b1=torch.zeros(2), w2=torch.zeros(2, d), b2=torch.zeros(d),
                                    mean=torch.zeros(d), std=torch.ones(d)))
    x = torch.zeros(d)
    x[137 + 62], x[137 + 61], x[3] = 3.0, 1.0, 1.0  # left wrist height and side-to-side spread, pelvis height
    top = least_familiar(wide, x, "walking")
    assert [p for p, _ in top[:2]] == ["left wrist position", "pelvis height"]
    assert top[0][1] == pytest.approx(10 / 11) and top[1][1] == pytest.approx(1 / 11) and top[2][1] == 0.0
