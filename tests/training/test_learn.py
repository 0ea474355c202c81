"""`motion-studio learn`: one more expert on a trained (smoke) agent, nothing old changes."""
from __future__ import annotations

import json

import pytest
import torch

from motion_studio.agent import Agent
from motion_studio.checkpoint import verify_checkpoint
from motion_studio.cli import main
from motion_studio.errors import InputError
from motion_studio.training.learn import check_name, learn_task


@pytest.fixture(scope="module")
def learned(smoke_checkpoint, tmp_path_factory):
    tasks = json.loads((smoke_checkpoint / "tasks.json").read_text())
    ids_file = tmp_path_factory.mktemp("ids") / "ids.txt"
    ids_file.write_text("\n".join(tasks["base"]["train"][:12]) + "\nnot-a-clip\n")
    out = tmp_path_factory.mktemp("learned") / "ckpt"
    result = learn_task(smoke_checkpoint, out, "extra", tasks["data_dir"], ids_file=ids_file, steps=3, progress=False)
    return smoke_checkpoint, out, result, tasks


def test_new_checkpoint_has_one_more_expert_and_a_valid_manifest(learned):
    src, out, result, tasks = learned
    manifest = verify_checkpoint(out)  # every file hashed again
    assert result["clips"] == 12 and result["steps"] == 3
    assert manifest["learned_tasks"][-1]["name"] == "extra"
    agent = Agent.load(out, device="cpu")
    assert [e.name for e in agent.experts] == [t["name"] for t in tasks["tasks"]] + ["extra"]
    new_tasks = json.loads((out / "tasks.json").read_text())
    assert new_tasks["tasks"][-1]["name"] == "extra" and len(new_tasks["tasks"][-1]["train"]) == 12
    assert "extra" in json.loads((out / "examples.json").read_text())
    assert agent.route("a person walks").experts[-1].name == "extra"


def test_old_experts_and_routers_are_untouched(learned):
    from safetensors.torch import load_file

    src, out, _, tasks = learned
    for t in tasks["tasks"]:
        before = load_file(str(src / "experts" / t["name"] / "adapter_model.safetensors"))
        after = load_file(str(out / "experts" / t["name"] / "adapter_model.safetensors"))
        assert before.keys() == after.keys() and all(torch.equal(before[k], after[k]) for k in before)
    for d in ("t2m", "m2t"):
        old, new = load_file(str(src / f"router_{d}.safetensors")), load_file(str(out / f"router_{d}.safetensors"))
        n = old["w1"].shape[0]
        assert new["w1"].shape[0] == n + 1
        # every expert's autoencoder is bit-identical; the base-family one (when the router has it)
        # is refitted without the new task's clips, which are no longer "no task"
        assert all(torch.equal(old[k], new[k][:n]) for k in old if not k.startswith("background."))
    verify_checkpoint(src)  # the source checkpoint was not modified


def test_bad_requests_are_one_line_errors(learned, tmp_path, capsys):
    src, out, _, tasks = learned
    with pytest.raises(InputError, match="already exists"):
        check_name("extra", ["jumping", "extra"])
    with pytest.raises(InputError, match="task name"):
        check_name("Bad Name!", [])
    with pytest.raises(InputError, match="not empty"):
        learn_task(src, out, "other", tasks["data_dir"], match=["walks"], progress=False)
    with pytest.raises(InputError, match="either --ids"):
        learn_task(src, tmp_path / "x", "other", tasks["data_dir"], progress=False)
    code = main(["learn", "other", "--data", tasks["data_dir"], "--match", "zzzyzzy", "--checkpoint", str(src),
                 "--out", str(tmp_path / "y"), "--json"])
    err = capsys.readouterr().err
    assert code == 1 and "only 0 clips" in err and len(err.strip().splitlines()) == 1


def test_progress_is_reported_and_cancel_writes_nothing(learned, tmp_path):
    from motion_studio.errors import Cancelled

    src, _, _, tasks = learned
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text("\n".join(tasks["base"]["train"][:8]))
    seen = []

    def stop_at_step_two(info):
        seen.append(info)
        return not (info["stage"] == "training" and info["step"] >= 2)

    out = tmp_path / "cancelled"
    with pytest.raises(Cancelled):
        learn_task(src, out, "gone", tasks["data_dir"], ids_file=ids_file, steps=50, progress=False,
                   on_progress=stop_at_step_two)
    stages = [s["stage"] for s in seen]
    assert stages[:2] == ["loading", "encoding"] and "training" in stages
    training = [s for s in seen if s["stage"] == "training"]
    assert training[-1]["step"] == 2 and training[-1]["total"] == 50 and training[-1]["loss"] > 0
    assert not out.exists()  # nothing was written
    assert verify_checkpoint(src)  # the source is untouched
