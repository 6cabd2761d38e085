"""The `fawen` command line: parse arguments, run a stage, turn errors into exit codes.

Exit status: 0 success, 1 a problem in the user's input or documents, 2 wrong usage.
User mistakes print `file:line:col: error: message; how to fix` and never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__, cli_more, load, schema, settings
from .cli_common import DEFAULT_PLANS, load_checked, print_problems
from .errors import FawenError, PlanError, UsageError, printable


def cmd_validate(args: argparse.Namespace) -> int:
    workspace = load_checked(args.paths or [DEFAULT_PLANS])
    count = len(workspace.plans)
    print(f"{count} plan{'s' if count != 1 else ''} valid")  # the result: stdout; problems went to stderr
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    text = schema.schema_text(args.kind)
    if args.output:
        from .files import atomic_write_text
        atomic_write_text(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from . import scaffold
    for path in scaffold.init(Path(args.dir)):
        print(f"wrote {load.display(path)}", file=sys.stderr)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    import tempfile

    from . import diff, review
    with tempfile.TemporaryDirectory(prefix="fawen-diff-") as tmp:
        old_path = load.checkout(args.old, Path(tmp) / "old")
        new_path = load.checkout(args.new, Path(tmp) / "new")
        old = load_checked([old_path])
        new = load_checked([new_path])
    changes = diff.compare(old, new)
    if args.format == "docx":
        from .layout import plan_document
        from .render.redline import redline
        if not args.output:
            raise UsageError("--format docx writes a file: add -o FILE.docx")
        newer = {s.plan.id: s for s in new.plans}
        pairs = [(s, newer[s.plan.id]) for s in old.plans if s.plan.id in newer]
        changed = {c.plan for c in changes}
        if args.plan:
            pairs = [(a, b) for a, b in pairs if a.plan.id == args.plan]
        elif len(pairs) > 1:
            pairs = [(a, b) for a, b in pairs if a.plan.id in changed] or pairs[:1]
        if len(pairs) != 1:
            ids = ", ".join(sorted(newer))
            raise UsageError(f"a redline shows one plan: choose it with --plan ID (plans: {ids})")
        a, b = pairs[0]
        names = {**(a.registry.names() if a.registry else {}), **(b.registry.names() if b.registry else {})}
        notices = b.plan.notices
        when = (notices[0][1].date.isoformat() if notices else "2000-01-01") + "T00:00:00Z"
        data = redline(plan_document(a.plan, names), plan_document(b.plan, names), args.author, when)
        from .files import atomic_write
        atomic_write(Path(args.output), data)
        print(f"wrote {args.output} ({len(changes)} changes)", file=sys.stderr)
    else:
        if args.format == "text":
            out = review.text(changes, color=sys.stdout.isatty() and not args.output)
        elif args.format == "md":
            out = review.markdown(changes)
        elif args.format == "html":
            out = review.html_page(changes)
        else:
            out = review.as_json(changes)
        if args.output:
            from .files import atomic_write_text
            atomic_write_text(Path(args.output), out)
        else:
            sys.stdout.write(out)
    return 1 if args.exit_code and changes else 0


def cmd_text(args: argparse.Namespace) -> int:
    """Document text of a DOCX, one paragraph a line, tracked changes accepted: a git textconv."""
    import zipfile

    from lxml import etree
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    try:
        xml = zipfile.ZipFile(args.file).read("word/document.xml")
        root = etree.fromstring(xml)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise UsageError(f"{args.file} is not a readable DOCX file ({exc})") from None
    for p in root.iter(f"{w}p"):
        parts = []
        for node in p.iter(f"{w}t", f"{w}tab", f"{w}br"):
            if node.tag == f"{w}t":
                parts.append(node.text or "")
            else:
                parts.append("\t" if node.tag == f"{w}tab" else " ")
        print("".join(parts))
    return 0


def _shard(text: str) -> tuple[int, int]:
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError("write --shard I/N, e.g. 1/4") from None
    if not 1 <= i <= n:
        raise argparse.ArgumentTypeError("--shard I/N needs 1 ≤ I ≤ N")
    return i, n


def cmd_build(args: argparse.Namespace) -> int:
    if args.watch:
        return cmd_build_watch(args)
    from . import build
    workspace = load_checked(args.paths or [DEFAULT_PLANS])
    bar = sys.stderr.isatty() and not os.environ.get("CI")
    report = build.build(workspace, Path(args.output), pdf=not args.no_pdf,
                         fonts_dir=Path(args.fonts) if args.fonts else None, workers=args.jobs,
                         shard=args.shard, bar=bar)
    for line in report.lines():
        print(printable(line), file=sys.stderr)
    return 0 if report.ok else 1


def cmd_build_watch(args: argparse.Namespace) -> int:
    """`fawen build --watch`: build, then again on every save, through one warm LibreOffice pool."""
    from . import watch
    if args.shard:
        raise UsageError("--watch builds every document: leave out --shard")
    paths = args.paths or [DEFAULT_PLANS]
    _exists(paths)
    return watch.build_watch(paths, Path(args.output), pdf=not args.no_pdf,
                             fonts_dir=Path(args.fonts) if args.fonts else None, workers=args.jobs)


def _exists(paths: list[Path]) -> None:
    for path in paths:
        if not path.exists():
            raise UsageError(f"{printable(str(path))}: no such file or directory")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError("--port takes 0 to 65535 (0: a free port)")
    return port


def cmd_preview(args: argparse.Namespace) -> int:
    """`fawen preview`: the documents as pages in a local web page that follows every save."""
    import ipaddress
    import tempfile

    from . import preview, preview_page
    _exists([args.path])
    try:
        usable = "{path}" in args.editor and bool(args.editor.format(path="/p", line=1, column=1))
    except (KeyError, IndexError, ValueError):
        usable = False
    if not usable:
        raise UsageError("--editor needs {path} (and may use {line} and {column}), e.g. " + preview_page.EDITOR)
    against = None
    if args.against:
        rel = Path(os.path.relpath(args.path.resolve())).as_posix()
        if rel.startswith(".."):
            raise UsageError("--against reads the plan from git by its path: run fawen from the repository "
                             "that holds the plan (the plan must be below the current directory)")
        with tempfile.TemporaryDirectory(prefix="fawen-diff-") as tmp:
            against = load_checked([load.checkout(f"{args.against}:{rel}", Path(tmp) / "old")])
    try:
        loopback = ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = args.host == "localhost"
    if not loopback:
        print(f"warning: serving on {printable(args.host)}: whoever reaches this machine can read the documents",
              file=sys.stderr)
    return preview.serve([args.path], Path(args.output), host=args.host, port=args.port,
                         fonts_dir=Path(args.fonts) if args.fonts else None, workers=args.jobs,
                         against=against, against_name=args.against, editor=args.editor)


def cmd_check(args: argparse.Namespace) -> int:
    from . import check
    failed = False
    for name in args.files:
        findings, checked = check.audit_report(Path(name), official=not args.plain)
        for finding in findings:
            print(printable(f"{name}: {finding}"), file=sys.stderr)  # findings are problems: stderr
        failed = failed or bool(findings)
        if not findings:
            print(f"{name}: conforms to GB/T 9704-2012 (checked: {checked})")
    return 1 if failed else 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="fawen", description="发文: campaign plans in YAML → 公文 (GB/T 9704-2012)")
    top.add_argument("--version", action="version", version=f"fawen {__version__}")
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check plans; print file:line:col for every problem")
    p.add_argument("paths", nargs="*", type=Path, help="plan directories or files (default: plans/)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema (draft-07) of plan files")
    p.add_argument("-o", "--output", help="write to this file instead of standard output")
    p.add_argument("--kind", choices=sorted(schema.KINDS), default="plan",
                   help="which file: plan (default), " + ", ".join(k for k in sorted(schema.KINDS) if k != "plan"))
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("init", help="write a new, valid plan to start from")
    p.add_argument("dir", help="directory for the new plan")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("build", help="render every document of the plans to DOCX and PDF")
    p.add_argument("paths", nargs="*", type=Path, help="plan directories or files (default: plans/)")
    p.add_argument("-o", "--output", default="output", help="output directory (default: output/)")
    p.add_argument("--no-pdf", action="store_true", help="write DOCX only (no LibreOffice)")
    p.add_argument("--fonts", help="directory of licensed official fonts to use for PDF instead of stand-ins")
    p.add_argument("-j", "--jobs", type=int, help="LibreOffice workers in parallel (default: the machine's cores)")
    p.add_argument("--shard", type=_shard, help="build only part I of N of the documents (for a CI matrix)")
    p.add_argument("--watch", action="store_true",
                   help="after the build, build again on every save (LibreOffice stays warm); Ctrl-C stops")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("preview", help="live preview in the browser: pages, problems and changes follow every save")
    p.add_argument("path", nargs="?", type=Path, default=DEFAULT_PLANS,
                   help="plan directory or file (default: plans/)")
    p.add_argument("--port", type=_port, default=8000, help="port to serve on (default 8000; 0: a free one)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("-o", "--output", default="output/preview",
                   help="where the previewed documents are built (default: output/preview/)")
    p.add_argument("--against", metavar="REV", help="show the plan's changes since this git revision beside the pages")
    p.add_argument("--fonts", help="directory of licensed official fonts to use instead of stand-ins")
    p.add_argument("-j", "--jobs", type=int, help="LibreOffice workers kept warm (default: the machine's cores)")
    p.add_argument("--editor", default="vscode://file{path}:{line}:{column}",
                   help="link of a problem's place, with {path} {line} {column} (default: VS Code)")
    p.set_defaults(func=cmd_preview)

    p = sub.add_parser("diff", help="what a plan change means: tasks, departments, deadlines, numbers")
    p.add_argument("old", help="plan directory or file, or REV:path from git (e.g. HEAD~1:plans/x)")
    p.add_argument("new", help="plan directory or file, or REV:path")
    p.add_argument("--format", choices=["text", "md", "html", "json", "docx"], default="text",
                   help="text (terminal), md (pull request), html (page), json, docx (Word redline)")
    p.add_argument("-o", "--output", help="write to this file")
    p.add_argument("--author", default="fawen", help="author of the tracked changes in a docx redline")
    p.add_argument("--plan", help="with --format docx: the plan id to redline when several are compared")
    p.add_argument("--exit-code", action="store_true", help="exit 1 when there are changes, like git diff")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("text", help="print the text of a DOCX (for git's textconv)")
    p.add_argument("file")
    p.set_defaults(func=cmd_text)

    cli_more.add_parsers(sub)  # calendar, number, progress

    p = sub.add_parser("check", help="audit a rendered PDF or DOCX against GB/T 9704-2012")
    p.add_argument("files", nargs="+", help="PDF or DOCX files")
    p.add_argument("--plain", action="store_true",
                   help="a table or list without 版头 and 版记 (checks page, fonts and page numbers only)")
    p.set_defaults(func=cmd_check)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings.check()  # an odd environment variable is reported before anything is written
        return int(args.func(args))
    except PlanError as exc:
        print_problems(exc.problems)
        n = len(exc.problems)
        print(f"{n} error{'s' if n != 1 else ''}; nothing was written", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"fawen: error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except FawenError as exc:
        print(f"fawen: error: {printable(str(exc))}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `fawen text x.docx | head`
        sys.stdout = open(os.devnull, "w")
        return 0
    except KeyboardInterrupt:
        print("fawen: interrupted; no partial files were left", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
