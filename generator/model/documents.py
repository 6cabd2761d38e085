"""The documents a plan issues: each kind's fields, as the user writes them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    WithJsonSchema,
)

from .body import Body, Contact, Item
from .fields import (
    Flag,
    Id,
    Invalid,
    IsoDate,
    IssueLine,
    Model,
    Number,
    Slug,
    Text,
    TextList,
    Title,
)
from .progress import PeriodId


class Notice(Model):
    """关于印发《…》的通知: the notice that issues the plan."""

    id: Slug = Field(title="编号", description="输出文件名，如 notice")
    kind: Literal["notice"] = Field(title="文种", description="notice：印发通知")
    number: Number = Field(title="发文字号", description="如 枣高安发〔2020〕7号")
    title: Title | None = Field(None, title="标题", description="默认：关于印发《方案标题》的通知")
    to: TextList = Field(title="主送机关", description="按排列顺序，如 各有关单位")
    date: IsoDate = Field(title="成文日期", description="YYYY-MM-DD，显示为 2020年6月23日")
    body: Body = Field(default_factory=list, title="正文",
                       description="不写则使用模板中的标准印发语；可为段落列表，也可含标题、清单、表格")
    signature: Text | None = Field(None, title="署名", description="默认为发文机关全称")
    seal: Flag = Field(False, title="加盖印章", description="true：署名居中于成文日期之上，留出印章位置")
    annotation: Text | None = Field(None, title="附注", description="如 此件公开发布（不含括号）")
    copy_number: Text | None = Field(None, title="份号", description="6位阿拉伯数字，如 000001")
    secrecy: Text | None = Field(None, title="密级和保密期限", description="如 秘密★1年")
    urgency: Literal["特急", "加急"] | None = Field(None, title="紧急程度", description="特急 或 加急")
    signer: Text | None = Field(None, title="签发人", description="上行文填写")
    cc: TextList = Field(default_factory=list, title="抄送机关", description="列于版记")
    printed_by: Text | None = Field(None, title="印发机关", description="默认为发文机关")
    printed_date: IsoDate | None = Field(None, title="印发日期", description="默认为成文日期")
    plan: Literal["attachment", "body", "none"] = Field(
        "attachment", title="方案位置", description="attachment：作为附件；body：紧随通知正文；none：不附")
    attachments: TextList = Field(default_factory=list, title="其他附件",
                                  description="方案以外附件的名称")
    append: list[Slug] = Field(default_factory=list, title="随文附件",
                               description="同一方案中要作为附件随本通知印发的文件编号（任务分解表、责任清单、路线图），"
                                           "页码接续")
    contact: Contact | None = Field(None, title="联系方式", description="联系人、联系电话、电子邮箱，列于正文之后")


class Official(Model):
    """What every document under a 版头 carries (通知, 通报, 请示, 报告): its title as written."""

    id: Slug = Field(title="编号", description="输出文件名，如 tongbao-1")
    number: Number = Field(title="发文字号", description="如 枣高安发〔2020〕9号")
    title: Title = Field(title="标题", description="按文件书写的完整标题，如 关于……情况的通报")
    to: TextList = Field(title="主送机关", description="请示、报告只写一个主送机关")
    date: IsoDate = Field(title="成文日期", description="YYYY-MM-DD，显示为 2020年6月23日")
    body: Body = Field(title="正文", description="段落、标题（h1 一、 h2 （一） h3 1. h4 （1））、清单和表格")
    signature: Text | None = Field(None, title="署名", description="默认为发文机关全称，如 ……工作专班（代章）")
    seal: Flag = Field(False, title="加盖印章", description="true：署名居中于成文日期之上，留出印章位置")
    annotation: Text | None = Field(None, title="附注", description="如 此件公开发布（不含括号）")
    contact: Contact | None = Field(None, title="联系方式",
                                    description="联系人、联系电话、电子邮箱：请示列于附注，其他文种列于正文之后")
    copy_number: Text | None = Field(None, title="份号", description="6位阿拉伯数字，如 000001")
    secrecy: Text | None = Field(None, title="密级和保密期限", description="如 秘密★1年")
    urgency: Literal["特急", "加急"] | None = Field(None, title="紧急程度", description="特急 或 加急")
    cc: TextList = Field(default_factory=list, title="抄送机关", description="列于版记")
    printed_by: Text | None = Field(None, title="印发机关", description="默认为发文机关")
    printed_date: IsoDate | None = Field(None, title="印发日期", description="默认为成文日期")
    attachments: TextList = Field(default_factory=list, title="附件", description="附件名称（附件说明）")
    append: list[Slug] = Field(default_factory=list, title="随文附件",
                               description="同一方案中作为附件随文印发的文件编号（任务分解表、责任清单、路线图），页码接续")


class Tongzhi(Official):
    """通知 (关于…的通知): a notice with its own title and a structured body."""

    kind: Literal["tongzhi"] = Field(title="文种", description="tongzhi：通知")
    signer: Text | None = Field(None, title="签发人", description="上行文填写")


class Tongbao(Official):
    """通报 (关于…情况的通报): progress, commendation or criticism; with `period:` its text
    renders the figures of that reporting period ({{ 整改率 }}, lists, 同比)."""

    kind: Literal["tongbao"] = Field(title="文种", description="tongbao：通报")
    period: PeriodId | None = Field(None, title="统计期",
                                    description="进展数据的报告期（如 2021-09）；正文可引用 {{ 整改率 }} 等计算数字")


class Qingshi(Official):
    """请示 (上行文): 签发人 in the 版头, one 主送机关, contact person and phone in the 附注."""

    kind: Literal["qingshi"] = Field(title="文种", description="qingshi：请示")
    signer: Text = Field(title="签发人", description="上行文须标注签发人姓名")


class Baogao(Official):
    """报告 (上行文): 签发人 in the 版头, one 主送机关."""

    kind: Literal["baogao"] = Field(title="文种", description="baogao：报告")
    signer: Text = Field(title="签发人", description="上行文须标注签发人姓名")


def _no_signer(value: Any) -> None:
    raise Invalid("a 函 (信函格式) carries no 签发人",
                  "签发人 belongs to 上行文: remove it, or make the document `kind: qingshi` or `kind: baogao`")


NoSigner = Annotated[None, BeforeValidator(_no_signer), WithJsonSchema({"not": {}})]


class Han(Official):
    """函 (信函格式, GB/T 9704 10.1): the organ's name as the mark, red double rules, no 签发人."""

    kind: Literal["han"] = Field(title="文种", description="han：函（信函格式）")
    signer: NoSigner = Field(None, title="签发人", description="函不标注签发人（仅上行文标注）", exclude=True)


class PlanDocument(Model):
    """The 方案 as a document of its own: title, optional 署名 and 成文日期, no 版头 or 发文字号."""

    id: Slug = Field(title="编号", description="输出文件名，如 plan")
    kind: Literal["plan"] = Field(title="文种", description="plan：方案单独成文")
    title: Title | None = Field(None, title="标题", description="默认为方案标题")
    signature: Text | None = Field(None, title="发文机关署名", description="不写则不署名")
    date: IsoDate | None = Field(None, title="成文日期", description="YYYY-MM-DD；不写则不标日期")
    signed: Literal["title", "end"] = Field(
        "end", title="署名位置", description="title：署名和日期居中列于标题之下；end：列于正文之后")
    contact: Contact | None = Field(None, title="联系方式", description="列于正文之后")


class Jiyao(Model):
    """纪要 (GB/T 9704 10.3): the red “×××纪要” mark, the body, 出席/请假/列席 lines, the 版记."""

    id: Slug = Field(title="编号", description="输出文件名，如 minutes-1")
    kind: Literal["jiyao"] = Field(title="文种", description="jiyao：纪要")
    mark: Title = Field(title="纪要标志", description="红色标志文字，如 平利县安全生产专项整治三年行动联席会议纪要")
    number: Number | None = Field(None, title="发文字号", description="纪要一般不编发文字号；声明时列于标志之下")
    title: Title | None = Field(None, title="标题", description="可不写；写时列于版头之下")
    date: IsoDate = Field(title="成文日期", description="会议纪要印发的日期，列于版记（印发日期）")
    body: Body = Field(title="正文", description="段落、标题（h1 一、 h2 （一） h3 1. h4 （1））、清单和表格")
    present: TextList = Field(default_factory=list, title="出席", description="出席人员的单位和姓名，按顺序")
    absent: TextList = Field(default_factory=list, title="请假", description="请假人员的单位和姓名")
    attending: TextList = Field(default_factory=list, title="列席", description="列席人员的单位和姓名")
    contact: Contact | None = Field(None, title="联系方式", description="列于正文之后")
    cc: TextList = Field(default_factory=list, title="分送（抄送）", description="列于版记")
    printed_by: Text | None = Field(None, title="印发机关", description="默认为发文机关")
    printed_date: IsoDate | None = Field(None, title="印发日期", description="默认为成文日期")


OFFICIAL_KINDS = {"tongzhi": "通知", "tongbao": "通报", "qingshi": "请示", "baogao": "报告", "han": "函"}


Column = Literal["number", "title", "text", "lead", "support", "deadline"]
ALL_COLUMNS: list[Column] = ["number", "title", "text", "lead", "support", "deadline"]


class TaskTable(Model):
    """任务分解表: every task with its departments and deadline, on landscape pages."""

    id: Slug = Field(title="编号", description="输出文件名，如 task-table")
    kind: Literal["task-table"] = Field(title="文种", description="task-table：任务分解表")
    title: Title | None = Field(None, title="标题", description="默认：方案标题+任务分解表")
    columns: list[Column] = Field(
        default_factory=lambda: list(ALL_COLUMNS), title="列",
        description="number 序号 · title 重点任务 · text 具体措施 · lead 牵头单位 · support 配合单位 · "
                    "deadline 完成时限")
    measures: Flag = Field(True, title="列出具体措施", description="true：在任务之下列出各项具体措施")


class Duties(Model):
    """责任清单: for each department, the tasks it leads and those it supports."""

    id: Slug = Field(title="编号", description="输出文件名，如 duties")
    kind: Literal["responsibilities"] = Field(title="文种", description="responsibilities：部门责任清单")
    title: Title | None = Field(None, title="标题", description="默认：方案标题+责任清单")
    per_department: Flag = Field(False, title="每个单位单独成文",
                                 description="true：另为每个单位生成一份只含本单位任务的清单（文件名加单位编号）")


class Roadmap(Model):
    """重点任务推进路线图: the phases and dated targets as a chart."""

    id: Slug = Field(title="编号", description="输出文件名，如 roadmap")
    kind: Literal["roadmap"] = Field(title="文种", description="roadmap：重点任务推进路线图")
    title: Title | None = Field(None, title="标题", description="默认：方案标题+重点任务推进路线图")


class Article(Model):
    """One article of a 简报: its title (and subtitle) and a structured body."""

    title: Title = Field(title="文章标题", description="居中的标题，如 坚持系统治理 精准施策")
    subtitle: Text | None = Field(None, title="副标题", description="列于标题之下，如 经济开发区守牢安全生产底线")
    body: Body = Field(title="正文", description="段落、标题（h1 一、 h2 （一） h3 1. h4 （1））、清单和表格；"
                                                "可引用 {{ 整改率 }} 等计算数字")


def _some_articles(value: Any) -> Any:
    if isinstance(value, list) and not value:
        raise Invalid("a 简报 without articles", "write at least one article: `- title: …` with its `body:`")
    return value


Articles = Annotated[list[Article], BeforeValidator(_some_articles)]


class Jianbao(Model):
    """简报: the bulletin name in large red type, the issue line from the numbering ledger's series,
    编印单位 and date on one line over a red rule, 编者按, articles, and the 报/送/发 lines."""

    id: Slug = Field(title="编号", description="输出文件名，如 jianbao-2021-09")
    kind: Literal["jianbao"] = Field(title="文种", description="jianbao：简报")
    series: Slug = Field(title="简报系列", description="numbers.yaml 中简报系列的编号，如 kfq-jianbao")
    issue: IssueLine | None = Field(None, title="期号",
                                    description="如 2021年第12期（总第45期）；不写则取台账和先前各期之后的下一期")
    special: Text | None = Field(None, title="专刊名称", description="列于期号之下，如 安全生产专项整治三年行动专刊")
    editor: Text | None = Field(None, title="编印单位", description="默认为简报系列的编印单位，否则为发文机关")
    date: IsoDate = Field(title="印发日期", description="YYYY-MM-DD，显示为 2021年10月8日")
    period: PeriodId | None = Field(None, title="统计期",
                                    description="进展数据的统计期编号（如 2021-09）；写明后正文可引用计算数字")
    note: Text | None = Field(None, title="编者按", description="列于红线之下，不含“编者按：”")
    articles: Articles = Field(min_length=1, title="文章", description="本期各篇：标题、副标题、正文；至少一篇")
    chart: Flag = Field(False, title="附整改率图", description="true：在文章之后附各单位完成率柱状图（需 period）")
    report_to: TextList = Field(default_factory=list, title="报", description="报送的上级机关，列于末尾“报：”")
    send_to: TextList = Field(default_factory=list, title="送", description="送达的同级机关，列于“送：”")
    issue_to: TextList = Field(default_factory=list, title="发", description="下发的单位，列于“发：”")
    copies: int | None = Field(None, ge=1, le=100000, title="印数", description="共印份数，列于末行，如 30")


class ProgressTable(Model):
    """进展情况统计表: per department or town its counts, the rate, its tasks by status, overdue
    in red, and a totals row; landscape DOCX and PDF, and an XLSX beside them."""

    id: Slug = Field(title="编号", description="输出文件名，如 progress-2021-09")
    kind: Literal["progress-table"] = Field(title="文种", description="progress-table：进展情况统计表")
    title: Title | None = Field(None, title="标题", description="默认：方案标题（去“方案”）+进展情况统计表（统计期）")
    period: PeriodId = Field(title="统计期", description="进展数据的统计期编号，如 2021-09")
    indicators: list[Id] = Field(default_factory=list, title="列出的指标",
                                 description="统计指标编号，按列的顺序；不写则列出没有上年同期数的全部指标")
    chart: Flag = Field(True, title="附完成率图", description="true：在表格之后另页附各单位完成率柱状图，并另存 PNG")


class Duban(Model):
    """督办清单: the overdue tasks of a period with lead department, deadline and days overdue."""

    id: Slug = Field(title="编号", description="输出文件名，如 duban-2021-09")
    kind: Literal["duban"] = Field(title="文种", description="duban：督办清单")
    title: Title | None = Field(None, title="标题", description="默认：方案标题（去“方案”）+逾期任务督办清单（统计期）")
    period: PeriodId = Field(title="统计期", description="进展数据的统计期编号，如 2021-09")
    closing: TextList | None = Field(
        None, title="结尾段落",
        description="清单之后的段落，逐段列出，可引用进展数字（如 {{ 逾期任务数 }}）；默认（有逾期任务时）："
                    "请各牵头单位于收到本清单之日起5个工作日内报送整改措施和完成时限，"
                    "逾期任务办结后报领导小组办公室销号。写 [] 则不印结尾段落")


PROGRESS_KINDS = {"jianbao": "简报", "progress-table": "进展情况统计表", "duban": "督办清单"}


Document = Annotated[Notice | TaskTable | Duties | Roadmap | Tongzhi | Tongbao | Qingshi | Baogao | PlanDocument
                     | Jiyao | Han | Jianbao | ProgressTable | Duban, Field(discriminator="kind")]
# the tag of each kind, for messages that follow a location through the union (load.py)
TAGGED: dict[str, type[BaseModel]] = {
    "notice": Notice, "task-table": TaskTable, "responsibilities": Duties, "roadmap": Roadmap,
    "tongzhi": Tongzhi, "tongbao": Tongbao, "qingshi": Qingshi, "baogao": Baogao, "plan": PlanDocument,
    "jiyao": Jiyao, "han": Han, "Item": Item, "jianbao": Jianbao, "progress-table": ProgressTable,
    "duban": Duban,
}
