"""`motion-studio` command line: one subcommand per job, each a thin call into the package.

Heavy modules (torch, transformers, Qt) are imported inside the handlers, so `--help` stays instant.
Every user mistake ends as one line on stderr and a non-zero exit code, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import MotionStudioError
from .routing_types import near_miss_lines


def _print_json(obj: dict) -> None:
    print(json.dumps(obj, indent=None, ensure_ascii=False))


# ---------------------------------------------------------------- motion files
def cmd_info(args: argparse.Namespace) -> int:
    from .motion.formats import describe

    info = describe(args.file)
    if args.json:
        _print_json(info)
    else:
        width = max(len(k) for k in info)
        for key, value in info.items():
            if isinstance(value, float):
                value = f"{value:.3f}"
            print(f"{key:<{width}}  {value}")
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    from .motion.formats import convert

    out = convert(args.src, args.dst, kind=args.to)
    print(f"wrote {out}")
    return 0


# ---------------------------------------------------------------- data
def cmd_corpus(args: argparse.Namespace) -> int:
    from .data.corpus import generate_corpus

    out = generate_corpus(args.out, n_clips=args.clips, seed=args.seed, workers=args.workers,
                          progress=not args.quiet)
    print(f"wrote {args.clips} clips to {out}")
    return 0


def cmd_contact_sheet(args: argparse.Namespace) -> int:
    from .data.corpus.contact_sheet import render_contact_sheet

    out = render_contact_sheet(args.data_dir, args.out)
    print(f"wrote {out}")
    return 0


def cmd_tasks(args: argparse.Namespace) -> int:
    from .data.tasks import build_tasks, format_summary
    from .models.sentence import get_sentence_encoder

    out = args.out or str(Path(args.data_dir) / "tasks.json")
    result = build_tasks(args.data_dir, get_sentence_encoder().embed, n_tasks=args.n_tasks, seed=args.seed, out=out)
    print(format_summary(result))
    print(f"wrote {out}")
    return 0


# ---------------------------------------------------------------- the agent
def _load_agent(args: argparse.Namespace):
    from .agent import Agent

    return Agent.load(args.checkpoint, device=args.device)


def _settings(args: argparse.Namespace):
    from .agent import RouteSettings

    return RouteSettings(mode=args.mode, k=args.k, temperature=args.temperature,
                         force_expert=args.expert, threshold_scale=args.threshold_scale)


def cmd_generate(args: argparse.Namespace) -> int:
    from .motion.formats import save_motion

    agent = _load_agent(args)
    result = agent.generate(args.prompt, seconds=args.seconds, settings=_settings(args), seed=args.seed)
    out = save_motion(result.motion, args.out)
    if args.json:
        _print_json({
            "prompt": result.prompt,
            "frames": result.motion.n_frames,
            "seconds": round(result.motion.seconds, 3),
            "out": str(out),
            "route": result.route.to_json(),
            "timings_ms": result.timings_ms,
        })
    else:
        chosen = result.route.chosen or "base model"
        print(f"{result.motion.n_frames} frames ({result.motion.seconds:.1f} s) -> {out}  [expert: {chosen}]")
    return 0


def cmd_caption(args: argparse.Namespace) -> int:
    from .motion.formats import load_motion

    motion = load_motion(args.file)
    agent = _load_agent(args)
    result = agent.caption(motion, settings=_settings(args))
    if args.json:
        _print_json({
            "input": str(args.file),
            "caption": result.caption,
            "route": result.route.to_json(),
            "timings_ms": result.timings_ms,
        })
    else:
        print(result.caption)
    return 0


def cmd_route(args: argparse.Namespace) -> int:
    query = args.query
    path = Path(query)
    if path.suffix.lower() in (".npy", ".bvh"):
        from .motion.formats import load_motion

        query = load_motion(path)
    agent = _load_agent(args)
    result = agent.route(query, settings=_settings(args))
    if args.json:
        _print_json(result.to_json())
    else:
        for e in result.experts:
            mark = "*" if e.name == result.chosen else " "
            print(f"{mark} {e.name:<24} error {e.error:8.4f}  threshold {e.threshold:8.4f}  "
                  f"ratio {e.ratio:6.2f}  weight {e.weight:5.3f}")
        if result.read_as:
            print(f"read as: {result.read_as!r}")
        if result.unseen:
            print(f"unseen -> base model (nearest: {result.nearest}, {result.nearest_ratio:.2f} x its threshold)")
        else:
            print(f"chosen: {result.chosen or 'base model'}")
        for line in near_miss_lines(result):  # why a near miss missed
            print(line)
    return 0


# ---------------------------------------------------------------- training and benchmarks
def cmd_train(args: argparse.Namespace) -> int:
    from .checkpoint import REPO_ROOT
    from .training.device import is_main_process, private_dirs, use_device
    from .training.pipeline import train_default_model

    if args.preset == "humanml3d" and not args.data:
        raise MotionStudioError("--preset humanml3d trains on a real HumanML3D folder: give it with --data DIR")
    # under torchrun / accelerate launch every process runs the pipeline; only the main one writes
    # into the real folders (training/device.py: private_dirs)
    with use_device(args.device), private_dirs(REPO_ROOT / "build" / f"train-{args.preset}", Path(args.out),
                                                args.device) as (work, out):
        train_default_model(preset=args.preset, out_dir=out, data_dir=args.data, resume=not args.fresh,
                            command=" ".join(["motion-studio", *sys.argv[1:]]), work_dir=work,
                            progress=is_main_process())
    return 0


def cmd_learn(args: argparse.Namespace) -> int:
    from .agent import Agent

    from .training.device import use_device

    agent = Agent.load(args.checkpoint, device="cpu")  # learning reads the checkpoint folder itself
    with use_device(args.device):
        result = agent.learn_task(args.name, match=args.match, ids_file=args.ids, data_dir=args.data, theme=args.theme,
                                  steps=args.steps, out=args.out, progress=not args.json,
                                  command=" ".join(["motion-studio", *sys.argv[1:]]))
    if args.json:
        print(json.dumps(result))
    else:
        held = result["held_out_routed_to_new_expert"]
        print(f"learned '{result['name']}' from {result['clips']} clips in {result['seconds']} s "
              f"({result['steps']} steps) -> {result['out']}")
        if held:
            print(f"held-out clips routed to it: {held['t2m_pct']} % of prompts, {held['m2t_pct']} % of motions "
                  f"({held['clips']} clips)")
        print(f"old example prompts routed as before: {result['old_examples_unchanged']}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .evaluation.bench import format_summary, run_bench
    from .training.device import use_device

    with use_device(args.device):
        results = run_bench(args.preset, args.out, checkpoint=args.checkpoint,
                            command=" ".join(["motion-studio", *sys.argv[1:]]))
    print(format_summary(results))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .checkpoint import default_checkpoint_dir
    from .evaluation.model_report import format_report, write_report
    from .training.device import use_device

    with use_device(args.device):
        report = write_report(args.checkpoint or default_checkpoint_dir(), args.out, n_items=args.items,
                              sample_dir=args.sample)
    print(format_report(report))
    print(f"wrote {args.out}")
    return 0


def cmd_speed(args: argparse.Namespace) -> int:
    from .evaluation.speed import format_speed, run_speed

    result = run_speed(args.out, checkpoint=args.checkpoint, device=args.device, quick=args.quick)
    print(format_speed(result))
    print(f"wrote {args.out}")
    return 0


def run_app(app_args: list[str]) -> int:
    from .app.launch import run_app as launch

    return launch(app_args)


# ---------------------------------------------------------------- parser
def _add_agent_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--checkpoint", default=None, help="checkpoint folder (default: checkpoints/default)")
    p.add_argument("--device", default="auto", help="cpu, cuda, cuda:N or auto (default)")
    p.add_argument("--mode", choices=["hard", "soft"], default="hard", help="hard: one expert; soft: top-K blend")
    p.add_argument("--k", type=int, default=2, help="experts blended in soft mode")
    p.add_argument("--temperature", type=float, default=1.0,
                   help="soft mode: softmax temperature over -log(error / threshold)")
    p.add_argument("--threshold-scale", type=float, default=1.0,
                   help="multiply every expert's threshold (>1 accepts more inputs, <1 is stricter)")
    p.add_argument("--expert", default=None, help="force an expert by name, or 'base'")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _add_device_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--device", default="auto", help="cpu, cuda, cuda:N or auto (default: CUDA when present)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="motion-studio", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("info", help="what a motion file holds")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("convert", help="convert between joints .npy, 263-vector .npy and .bvh")
    p.add_argument("src")
    p.add_argument("dst", help="output; format from the extension (.npy joints, .vecs.npy features, .bvh)")
    p.add_argument("--to", choices=["joints", "vecs"], default=None, help="what a .npy output holds")
    p.set_defaults(func=cmd_convert)

    p = sub.add_parser("corpus", help="write the built-in motion-language corpus (HumanML3D layout)")
    p.add_argument("--out", required=True)
    p.add_argument("--clips", type=int, default=5000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_corpus)

    p = sub.add_parser("contact-sheet", help="render one clip per action to a PNG grid")
    p.add_argument("data_dir")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_contact_sheet)

    p = sub.add_parser("tasks", help="cluster descriptions into five tasks + base split (tasks.json)")
    p.add_argument("data_dir")
    p.add_argument("--out", default=None, help="default: DATA_DIR/tasks.json")
    p.add_argument("--n-tasks", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_tasks)

    p = sub.add_parser("generate", help="text -> motion")
    p.add_argument("prompt")
    p.add_argument("--out", required=True, help=".npy (joints), .vecs.npy or .bvh")
    p.add_argument("--seconds", type=float, default=None)
    p.add_argument("--seed", type=int, default=None, help="sample instead of greedy decoding, with this seed")
    _add_agent_options(p)
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("caption", help="motion -> text")
    p.add_argument("file", help=".npy (joints or 263-vectors) or .bvh")
    _add_agent_options(p)
    p.set_defaults(func=cmd_caption)

    p = sub.add_parser("route", help="which expert the router picks for a prompt or a motion file, and why")
    p.add_argument("query", help="a prompt, or a .npy/.bvh file")
    _add_agent_options(p)
    p.set_defaults(func=cmd_route)

    p = sub.add_parser("train", help="build the default model from the built-in corpus")
    p.add_argument("--preset", choices=["smoke", "default", "humanml3d"], default="default",
                   help="humanml3d: a real HumanML3D folder (--data) on one GPU")
    p.add_argument("--out", default="checkpoints/default")
    p.add_argument("--data", default=None, help="a HumanML3D-layout folder (default: generate the built-in corpus)")
    p.add_argument("--fresh", action="store_true", help="ignore saved progress and start over")
    _add_device_option(p)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("learn", help="teach the agent one more task: a new expert + router autoencoders")
    p.add_argument("name", help="the new expert's name (a-z, 0-9, '-', '_')")
    p.add_argument("--data", default=None, help="a HumanML3D-layout folder with the clips (default: the checkpoint's corpus)")
    p.add_argument("--match", nargs="+", default=None, metavar="WORD", help="train clips whose captions use one of these words")
    p.add_argument("--ids", default=None, help="or: a file of clip ids, one per line")
    p.add_argument("--theme", default=None, help="a theme label shown beside the expert")
    p.add_argument("--steps", type=int, default=None, help="training steps (default: as the checkpoint's experts)")
    p.add_argument("--checkpoint", default=None, help="the agent to extend (default: checkpoints/default)")
    p.add_argument("--out", default=None, help="a new folder for the extended checkpoint (default: ~/.motion-studio/checkpoints/...)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    _add_device_option(p)
    p.set_defaults(func=cmd_learn)

    p = sub.add_parser("bench", help="the continual-learning benchmark: every method, every task")
    p.add_argument("--preset", choices=["smoke", "default"], default="smoke")
    p.add_argument("--out", default="results")
    p.add_argument("--checkpoint", default=None, help="reuse this checkpoint's foundation and experts")
    _add_device_option(p)
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("evaluate", help="model report of a checkpoint: real / VQ-VAE / foundation / agent rows")
    p.add_argument("--checkpoint", default=None)
    p.add_argument("--out", default="docs/model_report.json")
    p.add_argument("--items", type=int, default=128, help="test clips per split")
    p.add_argument("--sample", default=None, help="a HumanML3D-layout folder of real clips to caption and route too")
    _add_device_option(p)
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("speed", help="latency/throughput benchmark of routing, T2M, M2T and the viewer (JSON)")
    p.add_argument("--out", default="speed.json")
    p.add_argument("--checkpoint", default=None)
    p.add_argument("--quick", action="store_true", help="a few repetitions only (CI); figures not meaningful")
    _add_device_option(p)
    p.set_defaults(func=cmd_speed)

    sub.add_parser("app", help="open the desktop app (the options of `python main.py`: motion-studio app --help)")
    return parser


def main(argv: list[str] | None = None) -> int:
    import warnings

    warnings.filterwarnings("ignore", category=FutureWarning)  # library deprecation chatter, not for users
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["app"]:  # every option after `app` belongs to the app's own parser (same as main.py)
        return run_app(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except MotionStudioError as exc:
        print(f"motion-studio: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("motion-studio: interrupted", file=sys.stderr)
        return 130
    except (OSError, ValueError) as exc:  # e.g. an unwritable output path
        print(f"motion-studio: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
