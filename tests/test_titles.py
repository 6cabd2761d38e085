"""Titles on several lines (GB/T 9704 7.3.1): words kept whole, lines balanced; a title written
with its own line breaks keeps them as a title and is on one line everywhere else."""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from generator import build, finish, layout, load, placement, titles
from generator.chinese import text_width
from generator.render import docx as docx_render
from generator.render import markdown, table_docx, xlsx

from conftest import PLANS, ROOT

# Titles of real documents: the plans' own, and those named in /work/shared/reference (notices,
# plans, rules and bulletins of 枣庄高新区, 枣庄市, 山东省, 平利县 and 鞍山市).
REFERENCE_TITLES = [
    "枣庄高新区安全生产专项整治三年行动方案",
    "平利县安全生产专项整治三年行动实施方案",
    "枣庄高新区危险化学品安全专项整治三年行动实施方案",
    "枣庄高新区安全生产委员会关于印发《枣庄高新区安全生产专项整治三年行动方案》的通知",
    "枣庄高新区党政领导干部安全生产工作职责",
    "党政领导干部安全生产工作职责",
    "枣庄市贯彻落实〈地方党政领导干部安全生产责任制规定〉实施办法",
    "山东省实施〈地方党政领导干部安全生产责任制规定〉细则",
    "山东省安全生产行政责任制规定",
    "关于进一步加强消防车通道和疏散通道管理的通知",
    "关于推进安全生产领域改革发展的实施意见",
    "关于强化企业安全生产主体责任落实的意见",
    "关于全面加强危险化学品安全生产工作的实施意见",
    "中共枣庄市委办公室 枣庄市人民政府办公室关于贯彻落实习近平总书记重要批示精神进一步加强安全生产工作的实施意见",
    "推进安全生产专项整治三年行动工作指南",
    "平利县门面式和居家式新社区工厂消防安全管理规范",
    "平利县厂房式新社区工厂消防安全管理规范",
    "平利县新社区工厂消防安全提升工作方案",
    "平利县新社区工厂消防安全专项治理工作方案",
    "平利县安全生产领域举报奖励办法",
    "鞍山经济开发区安全生产专项整治三年行动1+2+7实施方案",
    "全市安全生产专项整治三年行动专刊（10）",
    "经济开发区守牢安全生产底线",
    "平利县扎实推进安全生产专项整治三年行动工作纪实",
]
# what fawen makes of them: the notice that issues each, and its tables
NOTICES = [f"关于印发《{t}》的通知" for t in REFERENCE_TITLES if "《" not in t and "关于" not in t[:2]]
DERIVED = [f"{t}{kind}" for t in REFERENCE_TITLES[:3] for kind in ("任务分解表", "责任清单", "重点任务推进路线图")]

CLOSING = "》〉”’）〕」』，。、；：！？"
OPENING = "《〈“‘（〔「『"


@pytest.fixture(scope="module")
def workspace() -> load.Workspace:
    ws, problems = load.load([PLANS])
    assert problems == []
    return ws


@pytest.fixture(scope="module")
def departments() -> list[str]:
    registry = load.load_registry(PLANS / "departments.yaml").registry
    return [n for d in registry.departments for n in (d.name, d.short) if n]


@pytest.fixture(scope="module")
def generated(workspace: load.Workspace) -> list[tuple[str, int]]:
    """Every title fawen lays out for the example plans, with its width: (one-line title, width)."""
    out = []
    for job in build.jobs(workspace):
        out.append((job.layout.title, layout.LANDSCAPE_TITLE_CHARS if job.table is not None
                    else layout.MAX_TITLE_CHARS))
        out += [(titles.one_line(b.text), layout.MAX_TITLE_CHARS) for b in job.layout.blocks if b.role == "title"]
        out += [(titles.one_line(a.title), layout.LANDSCAPE_TITLE_CHARS if a.table is not None
                 else layout.MAX_TITLE_CHARS) for a in job.layout.appendices]
    return sorted(set(out))


@pytest.fixture(scope="module")
def segmenter(tmp_path_factory: pytest.TempPathFactory, departments: list[str]):  # type: ignore[no-untyped-def]
    """A jieba tokenizer of its own, with the fixed terms and the department names added."""
    titles.tokenizer()  # imports jieba quietly
    import jieba
    jieba.setLogLevel(logging.ERROR)
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(tmp_path_factory.mktemp("jieba"))
    tok.initialize()
    for word in (*titles.FIXED_TERMS, *departments):
        tok.add_word(word)
    return tok


def _pairs(text: str, opening: str, closing: str) -> list[tuple[int, int]]:
    spans, stack = [], []
    for i, ch in enumerate(text):
        if ch == opening:
            stack.append(i)
        elif ch == closing and stack:
            spans.append((stack.pop(), i + 1))
    return spans


def problems(title: str, width: int, departments: list[str], tok) -> list[str]:  # type: ignore[no-untyped-def]
    lines = titles.title_lines(title, width, departments)
    text = title.replace(" ", "")
    out = []
    if "".join(lines).replace(" ", "") != text:
        out.append("text changed")
    sizes = [text_width(line) for line in lines]
    if text_width(title) <= width and len(lines) != 1:
        out.append("broken though it fits")
    out += [f"line wider than {width}: {line}" for line, s in zip(lines, sizes, strict=True) if s > width]
    out += [f"line of {len(line)} characters: {line}" for line in lines if len(line) <= 2]
    top = sizes.index(max(sizes))
    if sizes[0] < sizes[-1] or sizes[:top + 1] != sorted(sizes[:top + 1]) \
            or sizes[top:] != sorted(sizes[top:], reverse=True):
        out.append(f"neither 正梯形 nor 菱形: {sizes}")
    words = list(tok.cut(text, HMM=True))
    bounds = {sum(len(w) for w in words[:i]) for i in range(len(words) + 1)}
    at = 0
    for line in lines[:-1]:
        at += len(line.replace(" ", ""))
        where = f"{text[:at]}｜{text[at:]}"
        if at not in bounds:
            out.append(f"word split: {where} (jieba: {'/'.join(words)})")
        for name in departments:
            for m in re.finditer(re.escape(name), text):
                if m.start() < at < m.end():
                    out.append(f"department name split: {where}")
        for a, b in _pairs(text, "《", "》"):
            if a < at < b and text_width(text[a:b]) <= width:
                out.append(f"《》 split though it fits on a line: {where}")
        if (text[at - 1].isdigit() and (text[at].isdigit() or text[at] in "年月日号期%）〕")) \
                or (text[at - 1] in "第〔" and text[at].isdigit()):
            out.append(f"number split: {where}")
        if text[at] in CLOSING or text[at - 1] in OPENING:
            out.append(f"line starts with a closing mark or ends with an opening one: {where}")
    return out


def test_corpus_is_real_and_large_enough(generated: list[tuple[str, int]]) -> None:
    assert len(REFERENCE_TITLES) + len(NOTICES) + len(DERIVED) + len(generated) >= 40
    assert len([t for t, w in generated if text_width(t) > w]) >= 20  # most of them need breaking


def test_no_word_is_split_and_lines_are_balanced(generated: list[tuple[str, int]], departments: list[str],
                                                 segmenter) -> None:  # type: ignore[no-untyped-def]
    corpus = [(t, 20) for t in REFERENCE_TITLES + NOTICES + DERIVED] + generated
    corpus += [(t, layout.LANDSCAPE_TITLE_CHARS) for t in DERIVED]
    found = {f"{t} @{w}": p for t, w in corpus if (p := problems(t, w, departments, segmenter))}
    assert found == {}


@pytest.mark.parametrize(("title", "lines"), [
    # before: 安全生｜产, 专项整｜治, 三｜年, 安｜全: words cut at the 20th character
    ("区应急管理局枣庄高新区安全生产专项整治三年行动责任清单",
     ("区应急管理局枣庄高新区安全生产", "专项整治三年行动责任清单")),
    ("区国土住建社会事业局枣庄高新区安全生产专项整治三年行动责任清单",
     ("区国土住建社会事业局枣庄高新区安全生产", "专项整治三年行动责任清单")),
    ("枣庄高新区安全生产专项整治三年行动方案责任清单", ("枣庄高新区安全生产专项整治", "三年行动方案责任清单")),
    ("枣庄高新区安全生产专项整治三年行动方案重点任务推进路线图",
     ("枣庄高新区安全生产专项整治三年行动方案", "重点任务推进路线图")),
    ("关于印发《平利县安全生产专项整治三年行动实施方案》的通知",
     ("关于印发《平利县安全生产专项整治", "三年行动实施方案》的通知")),
    ("关于印发《枣庄高新区安全生产专项整治三年行动方案》的通知",
     ("关于印发《枣庄高新区安全生产", "专项整治三年行动方案》的通知")),
    ("枣庄高新区安全生产委员会关于印发《枣庄高新区安全生产专项整治三年行动方案》的通知",
     ("枣庄高新区安全生产委员会关于", "印发《枣庄高新区安全生产专项整治", "三年行动方案》的通知")),
    ("中共枣庄市委办公室 枣庄市人民政府办公室关于贯彻落实习近平总书记重要批示精神进一步加强安全生产工作的实施意见",
     ("中共枣庄市委办公室 枣庄市人民政府办公室", "关于贯彻落实习近平总书记重要批示精神",
      "进一步加强安全生产工作的实施意见")),
])
def test_breaks_of_known_titles(title: str, lines: tuple[str, ...], departments: list[str]) -> None:
    assert titles.title_lines(title, 20, departments) == lines


def test_width_is_a_parameter_and_short_titles_stay_whole() -> None:
    long = "枣庄高新区安全生产专项整治三年行动方案任务分解表"  # 24: two lines in the 版心, one on a turned page
    assert len(titles.title_lines(long, layout.MAX_TITLE_CHARS)) == 2
    assert titles.title_lines(long, layout.LANDSCAPE_TITLE_CHARS) == (long,)
    assert layout.LANDSCAPE_TITLE_CHARS == int(table_docx.LANDSCAPE_WIDTH_PT // 22)  # 2号 in 225 mm
    assert titles.title_lines("平利县安全生产专项整治三年行动实施方案") == ("平利县安全生产专项整治三年行动实施方案",)
    longer = "枣庄高新区危险化学品安全专项整治三年行动实施方案任务分解表"  # 29
    assert titles.title_lines(longer, 28) == ("枣庄高新区危险化学品安全专项整治", "三年行动实施方案任务分解表")


def test_department_names_and_numbers_are_never_split() -> None:
    title = "县住房和城乡建设局县交通运输局关于2020年6月23日平安委发〔2020〕3号文件落实情况的报告"
    plain = titles.title_lines(title, 20)
    named = titles.title_lines(title, 20, ["县住房和城乡建设局", "县交通运输局"])
    for lines in (plain, named):
        joined = "｜".join(lines)
        assert "2020年6月23日" in joined and "〔2020〕3号" in joined
    assert all(name in "｜".join(named) for name in ("县住房和城乡建设局", "县交通运输局"))


def test_a_nested_title_is_split_rather_than_leave_a_line_of_two() -> None:
    assert titles.title_lines("山东省实施〈地方党政领导干部安全生产责任制规定〉细则") == (
        "山东省实施〈地方党政领导干部", "安全生产责任制规定〉细则")


def test_the_users_own_breaks_are_kept() -> None:
    assert titles.title_lines("关于印发平利县安全生产\n专项整治三年行动实施方案的通知\n") == (
        "关于印发平利县安全生产", "专项整治三年行动实施方案的通知")
    assert layout.title_lines("甲\n\n 乙 ") == ("甲", "乙")
    assert titles.one_line("平利县安全生产\n  专项整治三年行动\n实施方案\n") == "平利县安全生产专项整治三年行动实施方案"


def test_breaking_is_pure_and_deterministic(departments: list[str]) -> None:
    title = "区国土住建社会事业局枣庄高新区安全生产专项整治三年行动责任清单"
    first = titles.title_lines(title, 20, departments)
    titles.title_lines("区国土住建社会事业局关于印发《甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未》的通知", 20, ["午未的通"])
    assert titles.title_lines(title, 20, departments) == first  # no term registered by another call
    assert titles.title_lines(title, 20, departments) == layout.title_lines(title, terms=departments)


def test_jieba_loads_quietly_once() -> None:
    code = ("from generator import titles\n"
            "a = titles.tokenizer()\n"
            "b = titles.title_lines('关于印发《平利县安全生产专项整治三年行动实施方案》的通知')\n"
            "assert titles.tokenizer() is a and len(b) == 2\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


# ---------------------------------------------------------------- a title written as a YAML block

PLAN_TITLE = "平利县安全生产专项整治三年行动实施方案"
NOTICE_TITLE = "关于印发平利县安全生产\n专项整治三年行动实施方案的通知"
TABLE_TITLE = "平利县安全生产专项整治\n三年行动任务分解表"


@pytest.fixture(scope="module")
def block_plan(tmp_path_factory: pytest.TempPathFactory) -> load.Source:
    """The 平利 plan with its title, a second notice's and the task table's written as YAML blocks."""
    root = tmp_path_factory.mktemp("block") / "plans"
    shutil.copytree(PLANS / "pingli-2020", root / "pingli-2020")
    shutil.copy(PLANS / "departments.yaml", root / "departments.yaml")
    path = root / "pingli-2020" / "plan.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(f"title: {PLAN_TITLE}\n", "title: |\n  平利县安全生产专项整治\n  三年行动实施方案\n")
    text = text.replace("    plan: body\n", "    plan: attachment\n    append: [task-table, duties, roadmap]\n"
                        "  - id: notice-2\n    kind: notice\n    number: 平安委发〔2020〕4号\n"
                        "    title: |\n      关于印发平利县安全生产\n      专项整治三年行动实施方案的通知\n"
                        "    to: [各镇人民政府]\n    date: 2020-07-10\n    plan: none\n"
                        "  - id: task-table\n    kind: task-table\n"
                        "    title: |\n      平利县安全生产专项整治\n      三年行动任务分解表\n"
                        "  - id: duties\n    kind: responsibilities\n  - id: roadmap\n    kind: roadmap\n")
    path.write_text(text, encoding="utf-8")
    ws, found = load.load([root])
    assert found == []
    return ws.plans[0]


def _title_blocks(lay: layout.Layout) -> list[tuple[str, ...]]:
    return [b.lines for b in lay.blocks if b.role == "title"]


def test_a_block_title_keeps_its_breaks_as_a_title(block_plan: load.Source) -> None:
    assert block_plan.plan.title == "平利县安全生产专项整治\n三年行动实施方案"
    jobs = {job.doc_id: job for job in build.jobs_for(block_plan)}
    notice = jobs["notice"].layout
    # the notice title holds the plan title on one line, broken afresh
    first, plan_title = _title_blocks(notice)
    assert "".join(first) == f"关于印发《{PLAN_TITLE}》的通知" and len(first) == 2
    assert plan_title == ("平利县安全生产专项整治", "三年行动实施方案")  # the plan as 附件1: the user's lines
    assert _title_blocks(jobs["notice-2"].layout)[0] == ("关于印发平利县安全生产", "专项整治三年行动实施方案的通知")
    # bound attachments: derived titles from the plan title on one line; the table's own title keeps its lines
    assert [a.title for a in notice.appendices] == [
        TABLE_TITLE, "平利县安全生产专项整治三年行动\n实施方案责任清单",
        "平利县安全生产专项整治三年行动\n实施方案重点任务推进路线图"]


def test_a_block_title_is_on_one_line_everywhere_else(block_plan: load.Source) -> None:
    plan = block_plan.plan
    jobs = {job.doc_id: job for job in build.jobs_for(block_plan)}
    notice = jobs["notice"].layout
    texts = [b.text for b in notice.blocks if b.role != "title"]
    assert all("\n" not in t for t in texts)
    assert any(f"现将《{PLAN_TITLE}》印发给你们" in t for t in texts)  # templates/text/notice_body.j2
    notes = [b.text for b in notice.blocks if b.role in ("attachment-note", "attachment-more")]
    assert notes == ["附件：1.\t平利县安全生产专项整治三年行动实施方案",
                     "2.\t平利县安全生产专项整治三年行动任务分解表",
                     "3.\t平利县安全生产专项整治三年行动实施方案责任清单",
                     "4.\t平利县安全生产专项整治三年行动实施方案重点任务推进路线图"]
    # metadata: Layout.title/subject → DOCX core properties and the PDF info
    assert (notice.title, notice.subject) == (f"关于印发《{PLAN_TITLE}》的通知", PLAN_TITLE)
    assert jobs["notice-2"].layout.title == "关于印发平利县安全生产专项整治三年行动实施方案的通知"
    data = docx_render.render(notice, placement.estimate_placement(notice))
    props = Document(io.BytesIO(data)).core_properties
    assert (props.title, props.subject) == (f"关于印发《{PLAN_TITLE}》的通知", PLAN_TITLE)
    info = finish._metadata(jobs["notice-2"].layout, "D:20200710000000Z")
    assert info["/Title"] == "关于印发平利县安全生产专项整治三年行动实施方案的通知" and info["/Subject"] == PLAN_TITLE
    table = jobs["task-table"].layout
    assert table.title == TABLE_TITLE.replace("\n", "")
    assert Document(io.BytesIO(build._docx_of(jobs["task-table"], None))).core_properties.title == table.title
    # summary.md and tasks.xlsx
    names = block_plan.registry.names() if block_plan.registry else {}
    summary = markdown.summary(plan, names)
    assert summary.startswith(f"# {PLAN_TITLE}\n")
    assert f"    title {PLAN_TITLE[:30]}" in summary
    book = load_workbook(io.BytesIO(xlsx.workbook(plan, names, layout.departments_in(plan, list(names)))))
    assert book.properties.title == f"{PLAN_TITLE}任务分解表"


def _paragraph_texts(docx: bytes) -> list[str]:
    """Each paragraph's text, a line break (w:br) written as |."""
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode("utf-8")
    out = []
    for p in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
        text = "".join(m.group(1) if m.group(1) is not None else "|"
                       for m in re.finditer(r"<w:t[^>]*>([^<]*)</w:t>|<w:br/>", p))
        out.append(text)
    return out


def test_rendered_titles_carry_the_breaks(block_plan: load.Source) -> None:
    jobs = {job.doc_id: job for job in build.jobs_for(block_plan)}
    standalone = _paragraph_texts(build._docx_of(jobs["task-table"], None))
    assert "平利县安全生产专项整治|三年行动任务分解表" in standalone
    notice = jobs["notice"].layout
    bound = _paragraph_texts(docx_render.render(notice, placement.estimate_placement(notice)))
    for title in ("平利县安全生产专项整治|三年行动实施方案", "平利县安全生产专项整治|三年行动任务分解表",
                  "平利县安全生产专项整治三年行动|实施方案责任清单"):
        assert title in bound
