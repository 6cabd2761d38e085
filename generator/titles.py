"""A title → its lines (GB/T 9704-2012 7.3.1): words kept whole, lines arranged symmetrically.

A title that does not fit on one line is broken only between words: the words of the
Chinese word segmenter jieba, with the plan's own terms added (department names passed by
the caller, and the fixed terms of campaign documents below), a number with its unit
(2020年, 〔2020〕7号, 1+2+7) and a bracketed piece (《…》, “…”, （…）) that fits on a line.
A 《…》 longer than a line is split, but only at a word boundary inside it. Among the ways
left, fawen takes the fewest lines, as equal as possible, longer above shorter (正梯形) or,
for three lines and more, widest in the middle (菱形); no line of one or two characters,
no line starting with a closing mark or ending with an opening one. Breaks after 关于 and
before the document's kind (的通知, 的意见 … 责任清单) are preferred.

A title written with its own line breaks (a YAML block scalar) keeps them; everywhere a
title is not displayed as a title (a sentence, 附件说明, metadata, tables) it is written on
one line: `one_line`.

jieba loads its dictionary (about half a second) once per process, on the first title that
needs breaking, quietly, from a cache file named after jieba's version and its dictionary.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import re
import tempfile
import threading
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import settings
from .chinese import text_width

# Words of campaign plans that jieba would cut in two (安全/生产, 责任/清单 …). A term here
# is added to jieba's dictionary and is never split.
FIXED_TERMS: tuple[str, ...] = (
    "安全生产", "专项整治", "三年行动", "实施方案", "工作方案", "任务分解表", "责任清单", "措施清单",
    "隐患清单", "重点任务", "推进路线图", "重点任务推进路线图", "实施意见", "指导意见", "实施办法",
    "管理办法", "实施细则", "工作指南", "管理规范", "工作职责", "主体责任", "安全生产责任制", "责任制",
    "危险化学品", "消防安全", "专项治理", "隐患排查", "排查治理", "风险分布图", "进展情况统计表",
    "党政领导干部", "人民政府", "习近平总书记", "重要论述", "重要批示", "高新区", "经济开发区",
    "街道办事处", "新社区工厂", "消防车通道", "疏散通道", "举报奖励", "安全生产委员会", "安委会",
    "人民政府办公室",
)

# The document's kind at the end of a title: a break right before it is preferred.
KIND_ENDINGS: tuple[str, ...] = (
    "的通知", "的通报", "的意见", "的实施意见", "的决定", "的方案", "的实施方案", "的工作方案", "的报告",
    "的请示", "的批复", "的函", "的规定", "的办法", "的细则", "的纪要", "重点任务推进路线图", "任务分解表",
    "责任清单",
)

OPENING = "《〈“‘（(〔［[【「『"
CLOSING = "》〉”’）)〕］]】」』，。、；：！？…%％·,.;:!?"
PAIRS = {"《": "》", "〈": "〉", "“": "”", "‘": "’", "（": "）", "(": ")", "〔": "〕", "［": "］", "[": "]",
         "【": "】", "「": "」", "『": "』"}
# A number with its unit (2020年6月23日, 第23期, 1+2+7, 30%) and a 发文字号 (枣高安发〔2020〕7号).
NUMBER = re.compile(r"(?:[\u4e00-\u9fff]{2,4})?〔\d{4}〕\d+号"
                    r"|第?\d+(?:[.．:：/+＋~～-]\d+)*(?:年(?:\d+月(?:\d+日)?)?|月(?:\d+日)?|[日号期个项家条次件名人户元万亿%％]+)?")

# costs of a line break, in characters of imbalance
PUNCT = 5000   # a line would start with a closing mark or end with an opening one
SPLIT = 1000   # inside a word, a term or a number
TOO_LONG = 10000
SHORT = 500    # a line of one or two characters
BRACKET = 300  # inside a bracketed piece that fits on a line (at a word boundary): better than a short line
SHAPE = 100    # 倒梯形 (shorter above longer) or a waist
EXTRA_LINE = 20
INSIDE_LONG = 1  # inside a 《…》 longer than a line, at a word boundary
PREFERRED = 4    # around 关于, before 《, after 》, at a space (between joint organs)
KIND = 5         # before the document's kind


def one_line(text: str) -> str:
    """The title on one line: the user's line breaks removed, no spaces put in."""
    return "".join(line.strip() for line in text.splitlines())


# ---------------------------------------------------------------- jieba, once per process

_LOCK = threading.Lock()
_TOKENIZER: Any = None


def _cache_dir() -> str:
    folder = settings.cache_home() / "fawen"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            return str(folder)
    except OSError:
        pass
    return tempfile.gettempdir()


def tokenizer() -> Any:
    """jieba's tokenizer with FIXED_TERMS added: made on first use, then shared (read only)."""
    global _TOKENIZER
    with _LOCK:
        if _TOKENIZER is None:
            with warnings.catch_warnings():  # jieba imports pkg_resources, deprecated in setuptools
                warnings.simplefilter("ignore")
                import jieba  # untyped (no stubs): mypy ignore_missing_imports
            jieba.setLogLevel(logging.ERROR)  # no "Building prefix dict …" on stderr
            tok = jieba.Tokenizer()
            # jieba's own cache (/tmp/jieba.cache) is shared by every program on the machine
            # and loaded unchecked; fawen's is named after jieba's version and dictionary file
            stat = (Path(jieba.__file__).parent / "dict.txt").stat()
            tok.tmp_dir = _cache_dir()
            tok.cache_file = f"jieba-{jieba.__version__}-{stat.st_size}-{stat.st_mtime_ns}.cache"
            tok.initialize()
            for term in FIXED_TERMS:
                tok.add_word(term)
            _TOKENIZER = tok
        return _TOKENIZER


# ---------------------------------------------------------------- words

def _forced(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Spans never split: the longest term or number starting at each place, left to right."""
    by_first: dict[str, list[str]] = {}
    for term in sorted({t for t in (*FIXED_TERMS, *terms) if len(t) > 1}, key=lambda t: (-len(t), t)):
        by_first.setdefault(term[0], []).append(term)
    spans = []
    i = 0
    while i < len(text):
        end = i
        if m := NUMBER.match(text, i):
            end = m.end()
        for term in by_first.get(text[i], []):
            if text.startswith(term, i):
                end = max(end, i + len(term))
                break
        if end > i + 1:
            spans.append((i, end))
            i = end
        else:
            i += 1
    return spans


def words(text: str, terms: Iterable[str] = ()) -> list[str]:
    """The title cut into words: the terms and numbers whole, the rest as jieba cuts it."""
    out: list[str] = []
    at = 0
    tok = None
    for start, end in [*_forced(text, terms), (len(text), len(text))]:
        if start > at:
            tok = tok or tokenizer()
            out += [w for w in tok.cut(text[at:start], HMM=True) if w]
        if end > start:
            out.append(text[start:end])
        at = end
    return out


def _brackets(text: str) -> list[tuple[int, int]]:
    """(start, end) of every matched bracketed piece, marks included; nested ones too."""
    spans, stack = [], []
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append(i)
        elif stack and PAIRS[text[stack[-1]]] == ch:
            spans.append((stack.pop(), i + 1))
    return sorted(spans)


def break_costs(text: str, width: float, terms: Iterable[str] = ()) -> list[float]:
    """The cost of a line break before each character of `text` (index 0 unused)."""
    n = len(text)
    bounds = set(itertools.accumulate(len(w) for w in words(text, terms)))
    cost = [0.0] * n
    for p in range(1, n):
        if text[p] in CLOSING or text[p - 1] in OPENING:
            cost[p] = PUNCT
        elif p not in bounds:
            cost[p] = SPLIT
    for start, end in _brackets(text):
        long = text_width(text[start:end]) > width
        for p in range(start + 1, end):
            if cost[p] < SPLIT:
                cost[p] += INSIDE_LONG if long else BRACKET
    for p in range(1, n):
        if cost[p] >= BRACKET:
            continue
        if "关于" in (text[p - 2:p], text[p:p + 2]) or text[p] == "《" or text[p - 1] == "》" \
                or text[p - 1].isspace() or text[p].isspace():
            cost[p] -= PREFERRED
        if text[p:] in KIND_ENDINGS:
            cost[p] -= KIND
    return cost


# ---------------------------------------------------------------- lines

def _shape(lengths: list[int]) -> float:
    """0 for 正梯形 (each line no longer than the one above) or 菱形 (rising to the widest line, then
    falling, the last line no longer than the first): never shorter above longer (倒梯形) or a waist."""
    top = lengths.index(max(lengths))
    rising, falling = lengths[:top + 1], lengths[top:]
    if lengths[0] < lengths[-1] or any(a > b for a, b in itertools.pairwise(rising)) \
            or any(a < b for a, b in itertools.pairwise(falling)):
        return SHAPE
    return 0.0


def _lines_cost(lines: list[str], width: float) -> float:
    sizes = [text_width(line) for line in lines]
    cost: float = sum(TOO_LONG for s in sizes if s > width) + sum(SHORT for line in lines if len(line) <= 2)
    mean = sum(sizes) / len(sizes)
    cost += max(sizes) - min(sizes) + 0.1 * sum(abs(s - mean) for s in sizes)
    return cost + _shape([math.ceil(s) for s in sizes])


def _best(text: str, width: float, count: int, cost: list[float], limit: float) -> tuple[float, tuple[int, ...]]:
    """The cheapest `count` lines using break places cheaper than `limit` (depth-first, pruned by width)."""
    n = len(text)
    prefix = [0.0, *itertools.accumulate(text_width(ch) for ch in text)]
    places = [p for p in range(1, n) if cost[p] < limit]
    best: tuple[float, tuple[int, ...]] = (math.inf, ())

    def walk(start: int, left: int, cuts: tuple[int, ...], acc: float) -> None:
        nonlocal best
        if left == 1:
            if prefix[n] - prefix[start] > width and limit < math.inf:
                return
            bounds = [0, *cuts, n]
            lines = [text[a:b].strip() for a, b in itertools.pairwise(bounds)]
            total = acc + _lines_cost(lines, width)
            if (total, cuts) < best:
                best = (total, cuts)
            return
        for p in places:
            if p <= start:
                continue
            if prefix[p] - prefix[start] > width:
                break
            if prefix[n] - prefix[p] > width * (left - 1):
                continue
            walk(p, left - 1, (*cuts, p), acc + cost[p])

    walk(0, count, (), 0.0)
    return best


def title_lines(title: str, width: float = 20, terms: Iterable[str] = ()) -> tuple[str, ...]:
    """The lines of a title `width` characters wide; `terms` (department names …) are never split.

    A title with its own line breaks keeps them (blank lines dropped)."""
    if "\n" in title.strip():
        return tuple(line.strip() for line in title.splitlines() if line.strip())
    text = title.strip()
    total = text_width(text)
    if total <= width:
        return (text,)
    terms = tuple(terms)
    cost = break_costs(text, width, terms)
    fewest = math.ceil(total / width)
    for limit in (SPLIT, PUNCT, math.inf):  # word boundaries first, then any place but a mark's wrong side
        options = [(c + EXTRA_LINE * (k - fewest), cuts)
                   for k in range(fewest, fewest + 2)
                   for c, cuts in [_best(text, width, k, cost, limit)] if cuts]
        if options:
            _, cuts = min(options)
            bounds = [0, *cuts, len(text)]
            return tuple(text[a:b].strip() for a, b in itertools.pairwise(bounds))
    return (text,)
