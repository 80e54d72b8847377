"""`python -m vapi_emulator`: serve the emulator until SIGINT/SIGTERM.

Prints exactly one line, `vapi_emulator listening on http://HOST:PORT`, once the socket is bound and serving.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from ._app import create_app
from ._config import DEFAULT_ADMIN_TOKEN, MAX_BODY_BYTES, EmulatorConfig
from ._server import bind_socket, build_server
from ._store import DataFileError

__all__ = ["main", "parse_api_keys_file", "parse_args"]


def _key_pair(text: str) -> tuple[str, str]:
    key, sep, org = text.partition("=")
    if not sep or not key.strip() or not org.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=ORG, got {text!r}")
    return key.strip(), org.strip()


def parse_api_keys_file(path: Path) -> dict[str, str]:
    """Read API keys from a JSON object `{"key": "orgId"}` or from `KEY=ORG` lines (`#` comments)."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):
        raw = json.loads(text)
        if not all(isinstance(k, str) and isinstance(v, str) and k and v for k, v in raw.items()):
            raise ValueError(f"{path}: expected a JSON object of non-empty strings")
        return dict(raw)
    keys: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            key, org = _key_pair(line)
        except argparse.ArgumentTypeError as err:
            raise ValueError(f"{path}:{number}: {err}") from None
        keys[key] = org
    return keys


def _area_codes(text: str) -> set[str]:
    return {part.strip() for part in text.split(",") if part.strip()}


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def parse_args(argv: Sequence[str] | None = None) -> tuple[str, int, EmulatorConfig]:
    """Parse the command line into (host, port, config)."""
    parser = argparse.ArgumentParser(prog="python -m vapi_emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8787, help="port to listen on; 0 picks a free one")
    parser.add_argument("--data", type=Path, help="JSON file that keeps the state across restarts")
    parser.add_argument("--api-key", action="append", type=_key_pair, default=[], metavar="KEY=ORG")
    parser.add_argument("--api-keys-file", type=Path, help="JSON object or KEY=ORG lines")
    parser.add_argument("--admin-token", default=DEFAULT_ADMIN_TOKEN, help="X-Admin-Token for /__admin/")
    parser.add_argument("--activation-delay", type=_seconds, default=0.2, help="seconds (default 0.2)")
    parser.add_argument("--quota", type=int, default=5, help="free Vapi numbers per org (default 5)")
    parser.add_argument("--exhausted-area-codes", type=_area_codes, default=set(), metavar="212,646")
    parser.add_argument("--latency", type=_seconds, default=0.0, help="seconds added to each request")
    parser.add_argument("--jitter", type=_seconds, default=0.0, help="extra random seconds in [0, jitter)")
    parser.add_argument("--rate-429", type=_rate, default=0.0)
    parser.add_argument("--rate-500", type=_rate, default=0.0)
    parser.add_argument("--rate-503", type=_rate, default=0.0)
    parser.add_argument("--retry-after", type=_seconds, default=1.0, help="Retry-After of injected 429s")
    parser.add_argument("--drop-after-create-rate", type=_rate, default=0.0)
    parser.add_argument("--fault-seed", type=int, default=None)
    parser.add_argument(
        "--list-lag", type=_seconds, default=0.0, help="lists leave out numbers younger than this (seconds)"
    )
    parser.add_argument(
        "--max-body-bytes", type=int, default=MAX_BODY_BYTES, help="larger request bodies get 413 (1 MiB)"
    )
    parser.add_argument(
        "--mask-secrets", action="store_true", help="mask passwords, tokens and header values in responses"
    )
    args = parser.parse_args(argv)

    api_keys: dict[str, str] = {}
    if args.api_keys_file is not None:
        try:
            api_keys.update(parse_api_keys_file(args.api_keys_file))
        except (OSError, ValueError) as err:
            parser.error(f"--api-keys-file: {err}")
    api_keys.update(dict(args.api_key))
    config = EmulatorConfig(
        api_keys=api_keys,
        data_file=args.data,
        activation_delay_seconds=args.activation_delay,
        free_number_quota=args.quota,
        exhausted_area_codes=args.exhausted_area_codes,
        latency_seconds=args.latency,
        latency_jitter_seconds=args.jitter,
        rate_429=args.rate_429,
        rate_500=args.rate_500,
        rate_503=args.rate_503,
        retry_after_seconds=args.retry_after,
        drop_after_create_rate=args.drop_after_create_rate,
        fault_seed=args.fault_seed,
        list_lag_seconds=args.list_lag,
        max_body_bytes=args.max_body_bytes,
        mask_secrets=args.mask_secrets,
        admin_token=args.admin_token,
    )
    try:
        config.validate()
    except ValueError as err:
        parser.error(str(err))
    return args.host, args.port, config


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator in the foreground; returns the exit status (0 after SIGINT/SIGTERM)."""
    host, port, config = parse_args(argv)
    try:
        app = create_app(config)
    except DataFileError as err:
        print(f"vapi_emulator: {err}", file=sys.stderr)
        return 2
    try:
        sock = bind_socket(host, port)
    except OSError as err:
        print(f"vapi_emulator: cannot listen on {host}:{port}: {err}", file=sys.stderr)
        return 2
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host

    def announce() -> None:
        print(f"vapi_emulator listening on http://{shown}:{bound_port}", flush=True)

    server = build_server(app, announce)

    # uvicorn handles SIGINT/SIGTERM while serving and re-raises the signal after its graceful shutdown;
    # these handlers receive that re-raised signal (and any signal that arrives before serving starts),
    # so the process ends with status 0 instead of being killed by the default action.
    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        server.should_exit = True

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
