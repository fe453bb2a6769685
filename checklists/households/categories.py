"""Key-household categories (重点户, seed 003 §4.1) and what a patrol watches for each.

The seed groups them as rental households, "bad" customers (criminal
record, habitual trouble-makers, bad credit) and vulnerable customers
(high-risk illness, late pregnancy, elderly living alone). They are kept
flat here because each one carries its own patrol items and follow-up
fields; ``VULNERABLE`` names the group that welfare checks apply to.
"""
from __future__ import annotations

from dataclasses import dataclass

RENTAL = "rental"                        # 4.1.1 租賃戶
CRIMINAL_RECORD = "criminal_record"      # 4.1.2.1 有犯罪傾向和事實犯罪記錄
TROUBLE_MAKER = "trouble_maker"          # 4.1.2.2 習慣性滋事
BAD_CREDIT = "bad_credit"                # 4.1.2.3 信用度不良
HIGH_RISK_ILLNESS = "high_risk_illness"  # 4.1.3.1 高危病史
LATE_PREGNANCY = "late_pregnancy"        # 4.1.3.1 臨產孕婦
ELDERLY_ALONE = "elderly_alone"          # 4.1.3.2 無子女陪伴居住的老年人(60歲以上)

CATEGORIES = (RENTAL, CRIMINAL_RECORD, TROUBLE_MAKER, BAD_CREDIT,
              HIGH_RISK_ILLNESS, LATE_PREGNANCY, ELDERLY_ALONE)
VULNERABLE = frozenset({HIGH_RISK_ILLNESS, LATE_PREGNANCY, ELDERLY_ALONE})

LABELS = {
    RENTAL: "出租户 rental",
    CRIMINAL_RECORD: "有犯罪记录 prior criminal record",
    TROUBLE_MAKER: "习惯性滋事 habitual trouble-maker",
    BAD_CREDIT: "信用度不良 bad credit",
    HIGH_RISK_ILLNESS: "高危病史 high-risk illness",
    LATE_PREGNANCY: "临产孕妇 late pregnancy",
    ELDERLY_ALONE: "独居老人(60岁以上) elderly living alone",
}

#: age from which a resident living without children counts as elderly (4.1.3.2)
ELDERLY_AGE = 60

# The teams the monthly 《重点户异动表》 is forwarded to (4.2.5).
SECURITY, CLEANING, REPAIR = "security", "cleaning", "repair"
TEAMS = (SECURITY, CLEANING, REPAIR)

#: which categories each team's change list shows. Security patrols all of
#: them; cleaning and repair staff enter units and common areas, so they need
#: the rentals, trouble-makers (damage, illegal building) and the vulnerable,
#: and repair also bad credit (paid repairs are charged); nobody but security
#: needs to know about a criminal record.
TEAM_CATEGORIES = {
    SECURITY: frozenset(CATEGORIES),
    CLEANING: frozenset({RENTAL, TROUBLE_MAKER}) | VULNERABLE,
    REPAIR: frozenset({RENTAL, TROUBLE_MAKER, BAD_CREDIT}) | VULNERABLE,
}


@dataclass(frozen=True, slots=True)
class WatchItem:
    """One thing a guard watches for on patrol, citing the seed clause it comes from."""

    code: str
    text: str
    clause: str

    def to_doc(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text, "clause": self.clause}


_WATCH = {
    RENTAL: (
        WatchItem("rental.use_of_unit", "承租人不得改变出租屋用途或从事违法活动 "
                  "the unit is used as let (no change of use, no illegal activity)", "4.3.1.4"),
        WatchItem("rental.hazardous_goods", "不得生产、储存、经营易燃易爆有毒放射性物品 "
                  "no flammable, explosive, toxic or radioactive goods", "4.3.1.4"),
        WatchItem("rental.goods_removal_pass", "物资搬出须有《物资搬运放行条》 "
                  "goods leaving need a goods-removal pass", "4.3.1.4"),
    ),
    CRIMINAL_RECORD: (
        WatchItem("record.hours", "居住和进出的时段 hours of living there and coming and going",
                  "4.3.2.2"),
        WatchItem("record.goods", "物资进出的异常性 unusual goods moved in or out", "4.3.2.2"),
        WatchItem("record.visitors", "来往人员、暂住人员 visitors and people staying", "4.3.2.2"),
    ),
    TROUBLE_MAKER: (
        WatchItem("trouble.common_areas", "破坏公物、盗用水电、占用公共场地、乱搭建 damage, "
                  "stolen utilities, occupied common areas, illegal building", "4.1.2.2"),
        WatchItem("trouble.disturbance", "酗酒滋事、精神异常,发现异常及时报告客服中心 drunken "
                  "or disturbed behaviour: report to customer service at once", "4.3.3.2"),
    ),
    # bad credit (arrears) is an office matter: nothing to watch on patrol
    BAD_CREDIT: (),
}
_VULNERABLE_WATCH = (
    WatchItem("vulnerable.comings_goings", "观察出入规律和动静,加强交流 watch their comings and "
              "goings; talk with them", "4.3.3.3"),
    WatchItem("vulnerable.not_seen", "出入异常且未做出门备案:敲门拜访并报告 not seen and no "
              "going-out notice: knock and report (welfare check)", "4.3.3.3"),
)


def watch_items_for(category: str) -> tuple[WatchItem, ...]:
    """What a patrol watches for a household of ``category`` (may be none)."""
    if category in VULNERABLE:
        return _VULNERABLE_WATCH
    return _WATCH[category]
