"""Declared composite plans; the built-in one is seed 002's acceptance check.

Seed 002 (物业基础服务管理品质提升方案, 检查验收阶段 3-7): 100-point composite;
≤ 79 不及格, 80-90 良好, 91-100 优秀; ≥ 96 adds a team bonus; the
customer-service block weighs 25% of the total. The seed's text ends inside
the facilities rubric, so the weights of any further blocks are not known:
the built-in plan gives the facilities block the remaining 75% (fieldsync's
choice, to be replaced by the programme's own weights when they are known).
"""
from __future__ import annotations

from checklists.composite import Block, CompositeBand, CompositePlan
from checklists.model import Label

SEED_002 = CompositePlan(
    id="seed-002-acceptance",
    title=Label(zh="品质提升专项检查验收综合考评", en="Quality programme acceptance composite"),
    blocks=(
        Block("customer_service", "cs-supervision", 0.25,
              Label(zh="客户服务督导", en="Customer service")),
        Block("facilities", "facilities-supervision", 0.75,
              Label(zh="设施设备维护督导", en="Facilities maintenance")),
    ),
    bands=(
        CompositeBand("fail", Label(zh="不及格", en="Fail"), 0, 79, Label(
            zh="项目经理处分500元, 分管副经理400元, 部门主任/副主任300元, 班长领班100元",
            en="fines: project manager 500, deputy 400, department heads 300, "
               "team leaders 100 yuan")),
        CompositeBand("good", Label(zh="良好", en="Good"), 80, 90, Label(
            zh="相关管理人员不奖不罚", en="no reward, no fine")),
        CompositeBand("excellent", Label(zh="优秀", en="Excellent"), 91, 100, Label(
            zh="项目经理奖励1000元, 分管副经理800元, 部门主任/副主任600元",
            en="rewards: project manager 1000, deputy 800, department heads 600 yuan")),
    ),
    marks=(
        CompositeBand("team_bonus", Label(zh="团队奖励(≥96分)", en="Team bonus (≥96)"), 96, 100,
                      Label(zh="公司追加团队奖励3000元", en="a team bonus of 3000 yuan")),
    ),
)

PLANS = {SEED_002.id: SEED_002}
