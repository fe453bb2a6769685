"""Sentences (zh / en) for each line of a round verdict, from its code and numbers only.

Times in the numbers are already on the site's clock (``22:07``); minutes
and metres are numbers, printed without float noise.
"""
from __future__ import annotations

from typing import Any

from checklists.explain import num

TEMPLATES: dict[str, tuple[str, str]] = {
    "round_completed": ("巡更完成: {scanned}/{stops}个巡更点, 准时率{punctuality}%",
                        "round completed: {scanned}/{stops} checkpoints, {punctuality}% on time"),
    "round_partial": ("巡更未完成: 只巡了{scanned}/{stops}个巡更点, 准时率{punctuality}%",
                      "round incomplete: {scanned}/{stops} checkpoints, {punctuality}% on time"),
    "round_missed": ("漏巡: 截止{deadline}前没有巡更记录 (0/{stops})",
                     "missed: no checkpoint visited by the deadline {deadline} (0/{stops})"),
    "round_not_started": ("尚未开始, 截止时间{deadline}", "not started yet; deadline {deadline}"),
    "start_early": ("提前{minutes}分钟开始 ({at}, 计划{scheduled}, 最早可提前{allowed}分钟)",
                    "started {minutes} min early ({at}, scheduled {scheduled}, "
                    "up to {allowed} min early allowed)"),
    "start_on_time": ("准时开始 ({at}, 计划{scheduled}, 宽限{grace}分钟)",
                      "started on time ({at}, scheduled {scheduled}, grace {grace} min)"),
    "start_late": ("迟开始{minutes}分钟 ({at}, 计划{scheduled}, 宽限{grace}分钟)",
                   "started {minutes} min late ({at}, scheduled {scheduled}, grace {grace} min)"),
    "on_time": ("第{position}点「{name}」{at}到达, 准时 (应在{from}–{to})",
                "#{position} {name} at {at}: on time ({from}–{to})"),
    "early": ("第{position}点「{name}」{at}到达, 早到{minutes}分钟 (应在{from}–{to})",
              "#{position} {name} at {at}: {minutes} min early ({from}–{to})"),
    "late": ("第{position}点「{name}」{at}到达, 迟到{minutes}分钟 (应在{from}–{to})",
             "#{position} {name} at {at}: {minutes} min late ({from}–{to})"),
    "out_of_order": ("第{position}点「{name}」{at}到达, 未按路线顺序",
                     "#{position} {name} at {at}: out of order"),
    "missed": ("第{position}点「{name}」漏巡", "#{position} {name}: missed"),
    "manual": ("第{position}点「{name}」为手工输入编码「{tag}」, 非扫码, 需复核",
               "#{position} {name}: code {tag} typed by hand, not scanned — review"),
    "short_dwell": ("第{position}点「{name}」停留{seconds}秒, 少于要求的{min}秒",
                    "#{position} {name}: stayed {seconds} s, less than the {min} s required"),
    "photo_missing": ("第{position}点「{name}」要求拍照, 未拍", "#{position} {name}: photo required, none taken"),
    "gap_ok": ("「{from}」→「{to}」用时{minutes}分钟, 正常 (预计{expected}±{tolerance}分钟)",
               "{from} → {to}: {minutes} min, as expected ({expected} ± {tolerance} min)"),
    "gap_short": ("「{from}」→「{to}」只用{minutes}分钟, 过快 (预计{expected}±{tolerance}分钟)",
                  "{from} → {to}: only {minutes} min, too fast ({expected} ± {tolerance} min)"),
    "gap_long": ("「{from}」→「{to}」用时{minutes}分钟, 过慢 (预计{expected}±{tolerance}分钟)",
                 "{from} → {to}: {minutes} min, too slow ({expected} ± {tolerance} min)"),
    "unexpected_tag": ("{at}扫了本路线以外的巡更点「{name}」({tag})",
                       "{at}: scanned {name} ({tag}), not a checkpoint of this route"),
    "unknown_tag": ("{at}扫到本小区没有的编码「{tag}」", "{at}: code {tag} is no checkpoint of this site"),
    "unexpected_scans": ("{count}次扫码不属于本路线", "{count} scan(s) not of this route"),
    "clock_skew": ("设备时钟偏差{minutes}分钟 (同步时测得), 所有时间已按此校正",
                   "device clock off by {minutes} min (measured at sync); every time corrected"),
    "impossible_travel": ("「{from}」→「{to}」{distance_m}米只用{seconds}秒 ({speed_kmh}公里/小时), 人不可能这么快",
                          "{from} → {to}: {distance_m} m in {seconds} s ({speed_kmh} km/h), "
                          "faster than anyone runs"),
    "gps_outside": ("「{name}」扫码时定位离巡更点{distance_m}米 (范围{radius_m}米, 精度±{accuracy_m}米)",
                    "{name}: fix {distance_m} m from the checkpoint (radius {radius_m} m, "
                    "accuracy ±{accuracy_m} m)"),
    "gps_unusable": ("「{tag}」的定位精度±{accuracy_m}米, 无法使用",
                     "{tag}: fix accurate to ±{accuracy_m} m only, not used"),
    "rapid_duplicate": ("「{tag}」重复扫码{repeats}次, 最短间隔{seconds}秒",
                        "{tag} scanned again {repeats} time(s), {seconds} s apart at the least"),
    "photo_time_far": ("「{name}」照片拍摄时间与扫码相差{minutes}分钟",
                       "{name}: photo taken {minutes} min away from the scan"),
    "scans_out_of_time_order": ("扫码记录时间顺序错乱 (第{scan}条起, 共{count}处), 已按时间排序",
                                "scans not in time order (from scan {scan}, {count} place(s)); "
                                "judged sorted by time"),
    "manual_entry": ("{count}个巡更点为手工输入", "{count} checkpoint(s) typed by hand"),
    "checklist_not_checkpoints": (
        "「{name}」的答案按检查表{checklist_id} v{version}填写, 但该巡更点的检查表是{expected}",
        "{name}: answered checklist {checklist_id} v{version}, but the checkpoint's is {expected}"),
    "checklist_unknown": ("「{name}」的答案按检查表{checklist_id} v{version}填写, 服务器上没有这个版本, 未能核对",
                          "{name}: answered checklist {checklist_id} v{version}, which the server "
                          "does not have: not checked"),
    "answer_invalid": ("「{name}」的答案不符合检查表{checklist_id} v{version}: {path} — {message}",
                       "{name}: an answer breaks checklist {checklist_id} v{version}: "
                       "{path} — {message}"),
    "answer_problems_more": ("「{name}」另有{count}处答案不符合检查表{checklist_id} v{version}",
                             "{name}: {count} more answer problem(s) against checklist "
                             "{checklist_id} v{version}"),
    "late_submission": ("巡更结束{hours}小时后才提交", "submitted {hours} h after the round ended"),
    "was_marked_missed": ("截止{deadline}时无记录, 已按漏巡告警", "no result by {deadline}: alerted as missed"),
    "late_arrival": ("记录在漏巡告警后到达, 按其自身时间评判, 告警保留",
                     "result arrived after the missed alert: judged on its own times, alert kept"),
}


def sentence(code: str, numbers: dict[str, Any], lang: str) -> str:
    """The ``lang`` ("zh" or "en") sentence of a verdict line."""
    template = TEMPLATES.get(code)
    shown = {k: num(v) if isinstance(v, float) else v for k, v in numbers.items()}
    if template is None:                # a code from newer rules: still say what is known
        return f"{code}: " + ", ".join(f"{k}={v}" for k, v in shown.items())
    try:
        return template[0 if lang == "zh" else 1].format(**shown)
    except KeyError:
        return f"{code}: " + ", ".join(f"{k}={v}" for k, v in shown.items())
