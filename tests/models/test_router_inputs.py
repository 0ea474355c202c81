"""The motion router's "motion_stats" input: the decoded motion's per-channel summary over time."""
import numpy as np
import pytest
import torch

from motion_studio.errors import InputError
from motion_studio.models.router_inputs import MOTION_STATS_DIM, SUMMARY_CHANNELS, m2t_input_dim, m2t_vectors, motion_summary


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
