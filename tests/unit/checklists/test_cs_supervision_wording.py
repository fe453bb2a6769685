"""cs-supervision version 3: the seed's slips (工程 for 项目, 方案 for 计划) fixed, the source kept."""
from checklists import builtin_definition, load_definition


def _labels(definition):
    for section in definition.sections:
        for item in section.items:
            yield item.id, item.label.zh
            for criterion in item.criteria or ():
                yield criterion.id, criterion.label.zh


def test_labels_say_project_and_plan_where_the_seed_means_them():
    body = builtin_definition("cs-supervision")
    assert body["version"] == 3
    labels = dict(_labels(load_definition(body)))
    assert not [k for k, text in labels.items() if "工程" in text]
    assert labels["cs.05"] == "计划管理"
    assert labels["cs.14.1"] == "在小区开展多种经营及特约服务项目"
    assert labels["cs.14.2"] == "明确收费项目及标准"
    assert labels["cs.06.2"] == "有团队建设的设想方案"   # a written scheme: 方案 stays
    note = body["source"]["note"]
    assert "方案管理" in note and "特约服务工程" in note and "收费工程" in note
