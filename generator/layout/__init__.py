"""Plan → what each document shows: blocks of text in reading order, with their roles.

blocks (the pieces: blocks, roles, typefaces, fragments, title lines) · plan_text (the plan's
own text and the structured body) · duties (the plan alone, the 责任清单) · official (the
notice and every kind under a 版头, the 纪要, the 方案 on its own). Progress documents
(简报, 统计表, 督办清单) are laid out in layout_progress.py. Everything is re-exported here.
"""

from .blocks import (
    FANG,
    HEI,
    KAI,
    LANDSCAPE_TITLE_CHARS,
    MAX_TITLE_CHARS,
    SONG,
    TEMPLATES,
    XBS,
    Appendix,
    Block,
    Colophon,
    Head,
    Layout,
    Run,
    block,
    fragment,
    one_line,
    title_lines,
)
from .duties import KIND_HEADINGS, departments_in, duties, plan_document
from .official import (
    appended_title,
    document,
    minutes,
    notice,
    notice_title,
    official,
    plan_standalone,
    signature_fits,
)
from .plan_text import (
    body_blocks,
    checklist_blocks,
    cite,
    join_lines,
    phase_label,
    phase_period,
    plan_blocks,
    responsibility,
)

__all__ = [
    "FANG", "HEI", "KAI", "KIND_HEADINGS", "LANDSCAPE_TITLE_CHARS", "MAX_TITLE_CHARS", "SONG", "TEMPLATES", "XBS",
    "Appendix", "Block", "Colophon", "Head", "Layout", "Run", "appended_title", "block", "body_blocks",
    "checklist_blocks", "cite", "departments_in", "document", "duties", "fragment", "join_lines", "minutes",
    "notice", "notice_title", "official", "one_line", "phase_label", "phase_period", "plan_blocks",
    "plan_document", "plan_standalone", "responsibility", "signature_fits", "title_lines",
]
