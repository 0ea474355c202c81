"""Re-assembling a finished training run reuses its experts and routers instead of rebuilding inputs."""
import json

from motion_studio.training.continual import STATE_FILE
from motion_studio.training.pipeline import _finished_state


def test_only_a_run_that_trained_every_task_counts_as_finished(tmp_path):
    names = ["jumping", "arms"]
    assert _finished_state(tmp_path, names) is None  # no state file
    (tmp_path / STATE_FILE).write_text(json.dumps({"tasks": names, "done": ["jumping"], "reports": {}}))
    assert _finished_state(tmp_path, names) is None  # one task still to train
    (tmp_path / STATE_FILE).write_text(json.dumps({"tasks": names, "done": names, "reports": {"arms": {}}}))
    assert _finished_state(tmp_path, names)["reports"] == {"arms": {}}
    assert _finished_state(tmp_path, ["jumping", "walking"]) is None  # another task list
    (tmp_path / STATE_FILE).write_text("{not json")
    assert _finished_state(tmp_path, names) is None
