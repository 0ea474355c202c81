"""The inference facade on a real (tiny) checkpoint: route, generate, caption, and bad input."""
import json
import shutil

import numpy as np
import pytest

from motion_studio.agent import Agent, RouteSettings, clean_prompt
from motion_studio.cli import main
from motion_studio.errors import CheckpointError, InputError
from motion_studio.motion.formats import load_motion


@pytest.fixture(scope="module")
def agent(smoke_checkpoint):
    return Agent.load(smoke_checkpoint, device="cpu")


def test_clean_prompt_rejects_nonsense():
    assert clean_prompt("  a person\twaves \n") == "a person waves"
    for bad in ["", "   ", "1234 !!!", "x" * 1000]:
        with pytest.raises(InputError):
            clean_prompt(bad)


def test_experts_come_from_tasks(agent, smoke_checkpoint):
    tasks = json.loads((smoke_checkpoint / "tasks.json").read_text())
    assert [e.name for e in agent.experts] == [t["name"] for t in tasks["tasks"]]
    assert [e.theme for e in agent.experts] == [t["theme"] for t in tasks["tasks"]]


def test_route_prompt_has_every_expert(agent):
    route = agent.route("a person jumps forward")
    assert route.direction == "t2m"
    assert len(route.experts) == len(agent.experts)
    weights = [e.weight for e in route.experts]
    assert abs(sum(weights) - 1.0) < 1e-5 and weights.count(0.0) == len(weights) - 1
    assert route.unseen == (route.chosen is None)
    if not route.unseen:  # hard routing picks the lowest error
        assert route.chosen == min(route.experts, key=lambda e: e.error).name


def test_soft_mode_blends_k_experts(agent):
    route = agent.route("a person jumps forward", RouteSettings(mode="soft", k=2))
    assert route.mode == "soft" and route.k == 2
    assert sum(e.weight > 0 for e in route.experts) == 2


def test_force_expert_and_base(agent):
    name = agent.experts[-1].name
    assert agent.route("a person waves", RouteSettings(force_expert=name)).chosen == name
    assert agent.route("a person waves", RouteSettings(force_expert="base")).chosen is None
    with pytest.raises(InputError):
        agent.route("a person waves", RouteSettings(force_expert="no-such-expert"))


def test_generate_gives_finite_motion_of_requested_length(agent):
    gen = agent.generate("a person jumps forward", seconds=3.0)
    assert gen.motion.joints.shape == (60, 22, 3)
    assert np.isfinite(gen.motion.joints).all()
    assert set(gen.timings_ms) >= {"route", "generate", "decode", "total"}
    with pytest.raises(InputError):
        agent.generate("a person jumps", seconds=60)


def test_caption_of_a_sample_clip(agent):
    clip = agent.sample_clips()[0]
    motion = load_motion(clip.path)
    cap = agent.caption(motion)
    assert isinstance(cap.caption, str) and cap.caption
    assert cap.route.direction == "m2t" and cap.codes
    # the motion router names what the two nearest experts found least familiar (motion_stats input)
    reasons = cap.route.reasons
    assert len(reasons) == min(2, len(agent.experts)) and cap.route.nearest in reasons
    for parts in reasons.values():
        shares = [w for _, w in parts]
        assert len(parts) == 3 and shares == sorted(shares, reverse=True) and 0 <= shares[-1] and sum(shares) <= 1 + 1e-6


def test_route_says_what_the_prompt_router_read(agent):
    assert agent.route("A person happily jumps forward in the park").read_as == "jumps forward"
    assert agent.route("jumps forward").read_as is None  # nothing left out
    assert agent.route("a person jumps forward").to_json()["read_as"] == "jumps forward"


def test_generation_leaves_expert_weights_untouched(agent):
    """Serving keeps the last blend merged (no re-merge per request); releasing it gives back the
    exact base weights, and a base-model request answers as if nothing had been merged."""
    import torch

    agent.parts.bank.release()
    before = {k: v.clone() for k, v in agent.model.state_dict().items()}
    base_first = agent.generate("a person waves", settings=RouteSettings(force_expert="base")).codes
    agent.generate("a person waves", settings=RouteSettings(mode="soft", k=2))
    agent.generate("a person waves", settings=RouteSettings(force_expert=agent.experts[0].name))
    assert agent.generate("a person waves", settings=RouteSettings(force_expert="base")).codes == base_first
    agent.parts.bank.release()
    after = agent.model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_cli_generate_json_contract(smoke_checkpoint, tmp_path, capsys):
    out = tmp_path / "j.npy"
    code = main(["generate", "a person jumps forward", "--out", str(out), "--seconds", "2", "--json",
                 "--checkpoint", str(smoke_checkpoint)])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"prompt", "frames", "seconds", "out", "route", "timings_ms"}
    assert data["frames"] == 40 and np.load(out).shape == (40, 22, 3)
    assert set(data["route"]) == {"direction", "experts", "chosen", "unseen", "mode", "k", "forced", "nearest",
                                  "threshold_scale", "base_ratio", "read_as", "reasons"}
    assert set(data["route"]["experts"][0]) == {"name", "theme", "error", "threshold", "weight", "ratio"}


def test_cli_caption_and_route_json(smoke_checkpoint, capsys):
    clip = sorted((smoke_checkpoint / "samples").glob("*.npy"))[0]
    assert main(["caption", str(clip), "--json", "--checkpoint", str(smoke_checkpoint)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"input", "caption", "route", "timings_ms"}
    assert main(["route", str(clip), "--json", "--checkpoint", str(smoke_checkpoint)]) == 0
    assert json.loads(capsys.readouterr().out)["direction"] == "m2t"


def test_cli_route_says_why_a_motion_is_unseen(smoke_checkpoint, capsys):
    """A strict threshold makes the clip unseen; the text output then names the nearest expert and
    what the two nearest experts found least familiar."""
    clip = sorted((smoke_checkpoint / "samples").glob("*.npy"))[0]
    assert main(["route", str(clip), "--threshold-scale", "0.01", "--checkpoint", str(smoke_checkpoint)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("unseen -> base model (nearest: ") for line in lines)
    why = [line for line in lines if line.startswith("least like ")]
    assert len(why) == 2 and all(" in: " in line for line in why)


def test_corrupt_checkpoint_is_one_clear_error(smoke_checkpoint, tmp_path, capsys):
    broken = tmp_path / "broken"
    shutil.copytree(smoke_checkpoint, broken)
    weights = next((broken / "backbone").glob("*.safetensors"))
    weights.write_bytes(weights.read_bytes()[:100])
    with pytest.raises(CheckpointError, match="sha256"):
        Agent.load(broken)
    assert main(["generate", "a person waves", "--out", str(tmp_path / "x.npy"), "--checkpoint", str(broken)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "sha256" in err[0]


def test_user_checkpoint_dir_picks_a_free_folder(tmp_path, monkeypatch):
    from motion_studio.agent import user_checkpoint_dir

    monkeypatch.setenv("MOTION_STUDIO_HOME", str(tmp_path))
    first = user_checkpoint_dir("default+kicking")
    assert first == tmp_path / "checkpoints" / "default+kicking"
    first.mkdir(parents=True)
    assert user_checkpoint_dir("default+kicking") == first  # empty: reuse
    (first / "manifest.json").write_text("{}")
    assert user_checkpoint_dir("default+kicking").name == "default+kicking-2"


def test_route_batch_decides_as_route(agent):
    prompts = ["a person jumps forward", "a person waves both arms", "someone walks slowly"]
    batch = agent.route_batch("t2m", prompts)
    assert [r.chosen for r in batch] == [agent.route(p).chosen for p in prompts]
    clip = agent.sample_clips()[0]
    codes = agent._motion_codes(load_motion(clip.path))
    assert agent.route_batch("m2t", [codes])[0].chosen == agent.route(load_motion(clip.path)).chosen


def test_batched_generation_matches_one_call_per_blend(agent):
    """models.generation groups requests by blend; each group's output is what one call under
    that blend gives."""
    import torch

    from motion_studio.models.generation import caption_codes, generate_codes

    name = agent.experts[0].name
    prompts = ["a person jumps forward", "a person waves", "a person jumps forward"]
    sent = agent.encoder.embed(prompts)
    blends = [{name: 1.0}, {}, {}]
    codes = generate_codes(agent.parts, prompts, sent, blends, n_codes=[6, 6, 6], batch_size=1)
    for p, s, b, c in zip(prompts, sent, blends, codes):
        with agent.parts.bank.run(b), torch.inference_mode():
            assert agent.model.generate_motion([p], s[None], [6])[0] == c
    caps = caption_codes(agent.parts, codes, blends, batch_size=1)
    for c, b, cap in zip(codes, blends, caps):
        with agent.parts.bank.run(b), torch.inference_mode():
            assert agent.model.generate_caption([c])[0] == cap


def test_checkpoint_object_reads_what_the_agent_uses(agent, smoke_checkpoint):
    from motion_studio.checkpoint import Checkpoint

    ck = Checkpoint(smoke_checkpoint)
    assert [t.name for t in ck.tasks.tasks] == [e.name for e in agent.experts]
    assert ck.t2m_source == agent.t2m_source == "sentence_action"  # the preset's prompt-router input
    assert ck.m2t_source == agent.parts.router_m2t.input_source == "motion_stats"
    assert ck.backbone() is ck.backbone()  # loaded once
    assert ck.parts().router_t2m.names == [e.name for e in agent.experts]
    codes = ck.codes()
    assert codes and all(isinstance(v, list) for v in codes.values())
    assert ck.evaluator() is not None and ck.manifest["files"]


def test_router_saved_without_input_source_is_inferred(smoke_checkpoint, tmp_path):
    """An older router file with input_source null: the source is inferred from its input width
    when it loads, the same for the agent, learn and the benchmark."""
    from motion_studio.checkpoint import Checkpoint, write_manifest
    from motion_studio.models.router import AutoencoderRouter

    root = tmp_path / "ckpt"
    shutil.copytree(smoke_checkpoint, root)
    meta_path = root / "router_t2m.json"
    meta = json.loads(meta_path.read_text())
    meta["input_source"] = None
    meta_path.write_text(json.dumps(meta))
    info = {k: v for k, v in json.loads((root / "manifest.json").read_text()).items() if k not in ("files", "total_bytes")}
    write_manifest(root, info)
    assert Agent.load(root, device="cpu").t2m_source == "sentence" == Checkpoint(root).t2m_source
    narrow = AutoencoderRouter(32, 8, "t2m", None)  # pooled LM embeddings of a 32-wide model
    narrow.save(tmp_path / "r.safetensors")
    assert AutoencoderRouter.load(tmp_path / "r.safetensors").input_source == "lm_embed"
