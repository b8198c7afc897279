"""The ``timeline-viewer`` command: the app, and subcommands for files and pictures.

``timeline-viewer [PATH]`` opens the window (the bundled sample without a path);
the subcommands work without a window.  Errors are one line, ``error: …``, on
stderr with a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from viewer import __version__
from viewer.io.errors import FormatError

if TYPE_CHECKING:
    from viewer.io.formats import ImportSource
from viewer.model.dates import DateError, PartialDate
from viewer.store import DamagedEvent, EventStore, StoreError

SUBCOMMANDS = ("import", "export", "generate", "snapshot", "render", "info", "install-desktop")
#: The most events ``generate`` makes (it streams them: memory stays flat).
MAX_GENERATED = 10_000_000


class CliError(Exception):
    """A failure to report as one ``error:`` line."""


class _Parser(argparse.ArgumentParser):
    """Reports a usage mistake as one ``error:`` line too (argparse prints the usage)."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see {self.prog} --help)")


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1600x900, not {text!r}") from None
    if not (200 <= w <= 10000 and 200 <= h <= 10000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 10000")
    return w, h


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("expected a number of at least 1")
    return value


def _event_count(text: str) -> int:
    value = _positive(text)
    if value > MAX_GENERATED:
        raise argparse.ArgumentTypeError(f"expected at most {MAX_GENERATED:,} events")
    return value


def build_parser() -> argparse.ArgumentParser:
    from viewer.io.formats import export_names, import_names

    parser = _Parser(
        prog="timeline-viewer",
        description="Browse, present and edit timelines of events, offline.",
        epilog="Without a subcommand, opens PATH (or the bundled sample) in the window.",
    )
    parser.add_argument("--version", action="version", version=f"timeline-viewer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="add the events of a file to a timeline store")
    p.add_argument(
        "file",
        help="a news text, TimelineJS JSON, sheet CSV or Timeline app (.timeline) file "
        "(-: standard input)",
    )
    p.add_argument("--db", required=True, help="the store to add to (created if missing)")
    p.add_argument("--format", choices=import_names(), help="the file's format (default: guess)")

    p = sub.add_parser("export", help="write a store as TimelineJS JSON, sheet CSV or text")
    p.add_argument("db")
    p.add_argument("--format", choices=export_names(), required=True)
    p.add_argument("--out", help="output file (default, or -: standard output)")

    p = sub.add_parser("generate", help="make a synthetic store for benchmarks")
    p.add_argument("--events", type=_event_count, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)

    p = sub.add_parser("info", help="print a store's title and counts")
    p.add_argument("db")

    p = sub.add_parser(
        "install-desktop", help="add a launcher, icons and metadata to your desktop's menus"
    )
    p.add_argument("--uninstall", action="store_true", help="remove what it added")

    p = sub.add_parser("snapshot", help="render the main window to a PNG, offscreen")
    p.add_argument("db", nargs="?", help="the store (default: the bundled sample)")
    p.add_argument("--out", required=True, help="FILE.png (-: standard output)")
    p.add_argument("--size", type=_size, default=(1600, 900), help="WxH, default 1600x900")
    p.add_argument("--select", type=_positive, help="select the Nth event (from 1)")
    p.add_argument("--query", help="apply this search")
    p.add_argument("--present", type=_positive, help="render step N of the presentation")
    p.add_argument("--theme", choices=("light", "dark"), help="force a colour theme")
    p.add_argument(
        "--group-by",
        choices=("none", "category", "tag"),
        help="draw the events in swimlanes (default: as the file was last grouped)",
    )
    _time_scale_options(p)

    p = sub.add_parser("render", help="export the timeline as a picture (PNG, SVG or PDF)")
    p.add_argument("db")
    p.add_argument(
        "--out", required=True, help="FILE.png, FILE.svg or FILE.pdf (-: standard output)"
    )
    p.add_argument("--format", choices=("png", "svg", "pdf"), help="for --out - (default: png)")
    p.add_argument("--width", type=_positive, default=1600, help="width in pixels (PNG)")
    p.add_argument("--from", dest="date_from", help="first date shown")
    p.add_argument("--to", dest="date_to", help="last date shown")
    p.add_argument(
        "--group-by",
        choices=("none", "category", "tag"),
        help="draw the events in swimlanes (default: as the file was last grouped)",
    )
    _time_scale_options(p)
    p.add_argument(
        "--paged",
        action="store_true",
        help="a PDF for paper: the timeline split across pages at a readable scale",
    )
    p.add_argument("--paper", choices=("a4", "a3", "letter", "legal", "tabloid"), default="a4")
    p.add_argument("--portrait", action="store_true", help="upright pages (default: landscape)")
    p.add_argument("--pages", type=_positive, help="this many pages (default: as many as needed)")
    p.add_argument(
        "--slides",
        action="store_true",
        help="a PDF deck: a title slide, then each event as the presentation shows it",
    )
    p.add_argument("--size", type=_size, help="a slide's size, WxH (--slides; default 1920x1080)")
    p.add_argument("--theme", choices=("light", "dark"), help="the slides' colours (--slides)")
    return parser


def _time_scale_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--time-scale",
        choices=("linear", "log"),
        help="draw time evenly or in decades of years before the present (default: as "
        "the file was last drawn)",
    )
    p.add_argument(
        "--reference",
        metavar="DATE",
        help="the date a logarithmic time scale counts back from (default: now)",
    )


def _open_existing(path: str) -> EventStore:
    """A store to read: ``info``, ``export`` and ``render`` never change the file."""
    if not Path(path).exists():
        raise CliError(f"{path} does not exist")
    return EventStore.open(path, create=False, readonly=True)


#: A file named "-" is standard input (``import -``) or standard output (``--out -``).
STDIO = "-"


@contextlib.contextmanager
def _to_stdout(out: str, suffix: str) -> Iterator[str]:
    """A file to write ``out`` through: ``out`` itself, or for "-" a temporary file
    whose bytes go to standard output when the block ends well."""
    if out != STDIO:
        yield out
        return
    with tempfile.TemporaryDirectory(prefix="timeline-viewer-") as folder:
        path = os.path.join(folder, "out" + suffix)
        yield path
        sys.stdout.flush()
        with open(path, "rb") as f:
            shutil.copyfileobj(f, sys.stdout.buffer)
        sys.stdout.buffer.flush()


def _wrote(out: str) -> None:
    """Say what was written (on standard error when the output is standard output)."""
    print(
        f"wrote {out if out != STDIO else 'standard output'}",
        file=sys.stderr if out == STDIO else sys.stdout,
    )


def _check_not_the_store(out: str, db: str | None) -> None:
    """Refuse to write the output over the timeline file it is made from."""
    if db is not None and Path(out).exists() and Path(db).exists() and os.path.samefile(out, db):
        raise CliError(f"{out} is the timeline file itself; choose another output file")


def cmd_import(args: argparse.Namespace) -> int:
    from viewer.io.formats import open_import

    # A sheet CSV streams into the store inside one transaction, so a bad row found
    # late rolls everything back; other formats are parsed whole first.
    with contextlib.ExitStack() as stack:
        path = args.file
        if path == STDIO:  # read whole first: its format is found from what it holds
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="timeline-viewer-"))
            path = os.path.join(folder, "standard input")
            with open(path, "wb") as f:
                shutil.copyfileobj(sys.stdin.buffer, f)
        try:
            return _import_into(args.db, open_import(path, args.format))
        except FormatError as exc:
            if args.file != STDIO:
                raise
            raise exc.with_source("standard input") from None


def _import_into(db: str, source: ImportSource) -> int:
    # A new file is made whole beside its name and linked into place when the import
    # has ended well: a failure, or another process making it meanwhile, removes only
    # what this one made (see EventStore.created).
    new = not Path(db).exists()
    opening = EventStore.created(db) if new else EventStore.open(db, create=False)
    with opening as store, store.filling():
        result = store.import_batches(source.header, source.batches, total=source.total)
        total = store.count()
    n = len(result.event_ids)
    read = f", read as {source.reading}" if source.reading is not None else ""
    print(f"imported {n} event{'s' * (n != 1)} into {db} ({total} in all){read}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from viewer.io.files import writing
    from viewer.io.formats import export_to

    if args.out == STDIO:
        args.out = None  # standard output, as without --out
    if args.out:
        _check_not_the_store(args.out, args.db)

    def left_out(damaged: DamagedEvent) -> None:
        print(f"warning: {damaged}; left out of the export", file=sys.stderr)

    with _open_existing(args.db) as store:
        header = store.timeline_header()
        events = store.iter_events(on_damaged=left_out)
        left_out_images = 0
        if args.out:
            try:
                with writing(args.out) as f:
                    export_to(header, events, args.format, f, args.out)
            except OSError as exc:
                raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from None
        else:
            # The formats are UTF-8 whatever the locale (a Latin-1 stdout could not take "–").
            sys.stdout.flush()
            binary = getattr(sys.stdout, "buffer", None)
            if binary is not None:
                left_out_images = export_to(header, events, args.format, binary)
            else:  # a text-only stream (embedded use): through memory
                buffer = io.BytesIO()
                left_out_images = export_to(header, events, args.format, buffer)
                sys.stdout.write(buffer.getvalue().decode("utf-8"))
            sys.stdout.flush()
    if left_out_images:
        n = left_out_images
        print(
            f"warning: {n} stored image{'s' * (n != 1)} left out: standard output cannot hold "
            "their files (export to a file with --out to write them into media/ beside it)",
            file=sys.stderr,
        )
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from viewer.generate import synthetic_batches, synthetic_header

    if Path(args.out).exists():
        raise CliError(f"{args.out} exists already; choose a new file")
    with EventStore.created(args.out) as store, store.filling():
        store.import_batches(
            synthetic_header(args.events),
            synthetic_batches(args.events, seed=args.seed),
            total=args.events,
        )
    print(f"generated {args.events} events in {args.out}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from viewer.model.dates import format_range

    with _open_existing(args.db) as store:
        meta = store.meta()
        print(f"title: {meta['title']}")
        print(f"events: {store.count()}")
        try:
            span = store.span_dates()
        except DamagedEvent as damaged:
            print(f"span: unknown ({damaged})")
        else:
            if span:
                print(f"span: {format_range(*span)}")
        counts, none = store.category_counts()
        for cat, n in counts:
            print(f"category: {cat.name} ({n})")
        if none:
            print(f"category: (none) ({none})")
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    from viewer.model.parse import parse_date
    from viewer.ui.snapshot import snapshot

    # Qt opens (and so empties) the output before it finds it cannot write that format.
    if args.out != STDIO and Path(args.out).suffix.lower() != ".png":
        raise CliError(f"snapshot writes PNG images: --out {args.out} must end in .png")
    if args.out != STDIO:
        _check_not_the_store(args.out, args.db)
    with _to_stdout(args.out, ".png") as out:
        snapshot(
            args.db,
            out,
            size=args.size,
            select=args.select,
            query=args.query,
            present=args.present,
            theme=args.theme,
            group_by=args.group_by,
            time_scale=args.time_scale,
            reference=parse_date(args.reference).nominal if args.reference else None,
        )
    _wrote(args.out)
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from viewer.model.parse import parse_date, parse_span
    from viewer.ui.export import output_format, render_file
    from viewer.ui.picture_data import file_grouper, file_time_scale

    date_from = parse_span(args.date_from)[0].nominal if args.date_from else None
    date_to = parse_span(args.date_to)[1].nominal if args.date_to else None
    reference = parse_date(args.reference).nominal if args.reference else None
    if args.slides:
        return _render_slides(args, date_from, date_to, reference)
    if args.size or args.theme:
        raise CliError("--size and --theme are for --slides")
    paper = None
    if args.paged:
        from viewer.ui.paged import Paper

        paper = Paper(args.paper, landscape=not args.portrait)
    elif args.pages or args.portrait or args.paper != "a4":
        raise CliError("--pages, --paper and --portrait are for --paged")
    try:
        if args.out == STDIO:
            suffix = "." + (args.format or ("pdf" if args.paged else "png"))
        else:
            suffix = output_format(args.out)  # before opening anything
            if args.format and suffix != "." + args.format:
                raise CliError(f"--out {args.out} is not a {args.format.upper()} file name")
            _check_not_the_store(args.out, args.db)
        with _open_existing(args.db) as store, _to_stdout(args.out, suffix) as out:
            what: dict[str, Any] = {
                "date_from": date_from,
                "date_to": date_to,
                "grouper": file_grouper(store, args.group_by),
                "time_scale": file_time_scale(store, args.time_scale, reference),
            }
            if paper is not None:
                from viewer.ui.paged import render_paged

                render_paged(store, out, paper, pages=args.pages, **what)
            else:
                render_file(store, out, width=args.width, **what)
    except DateError:
        raise
    except ValueError as exc:  # an unknown extension, a width or span out of range
        raise CliError(str(exc)) from None
    _wrote(args.out)
    return 0


def _render_slides(
    args: argparse.Namespace,
    date_from: PartialDate | None,
    date_to: PartialDate | None,
    reference: PartialDate | None,
) -> int:
    from viewer.model.filters import Filters
    from viewer.ui.snapshot import slides

    if args.paged or args.pages or args.portrait or args.paper != "a4":
        raise CliError("--slides makes its own pages: leave out --paged, --pages, --paper")
    if args.out != STDIO and Path(args.out).suffix.lower() != ".pdf":
        raise CliError(f"slides are written as a PDF: name it .pdf, not {args.out}")
    if args.format not in (None, "pdf"):
        raise CliError("slides are written as a PDF")
    if args.out != STDIO:
        _check_not_the_store(args.out, args.db)
    filters = Filters(date_from=date_from, date_to=date_to)
    try:
        with _to_stdout(args.out, ".pdf") as out:
            pages = slides(
                args.db,
                out,
                size=args.size or (1920, 1080),
                theme=args.theme,
                group_by=args.group_by,
                time_scale=args.time_scale,
                reference=reference,
                filters=None if filters.is_empty else filters,
            )
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if args.out != STDIO:
        print(f"wrote {args.out} ({pages} slides)")
    return 0


def cmd_install_desktop(args: argparse.Namespace) -> int:
    from viewer.desktop_install import install, uninstall

    if args.uninstall:
        removed = uninstall()
        print(f"removed {len(removed)} file{'s' * (len(removed) != 1)}")
        for path in removed:
            print(f"  {path}")
        return 0
    for path in install():
        print(f"wrote {path}")
    return 0


COMMANDS = {
    "import": cmd_import,
    "export": cmd_export,
    "generate": cmd_generate,
    "info": cmd_info,
    "snapshot": cmd_snapshot,
    "render": cmd_render,
    "install-desktop": cmd_install_desktop,
}


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in SUBCOMMANDS and not args_list[0].startswith("-")):
        from viewer.ui.app import run

        return run(args_list[0] if args_list else None)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command is None:
        parser.print_help()
        return 0
    for stream in (sys.stdout, sys.stderr):  # a title "–" must not fail on an ASCII locale
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # the reader went away ("info x.db | head -3"): no message
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a process ended by SIGPIPE, for a shell's pipefail
    except (CliError, StoreError, FormatError, DateError, OSError) as exc:
        message = str(exc) if not isinstance(exc, OSError) else (exc.strerror or str(exc))
        if isinstance(exc, OSError) and exc.filename:
            message = f"{exc.filename}: {message}"
        print(f"error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
