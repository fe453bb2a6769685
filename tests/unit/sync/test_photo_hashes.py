"""``photo_hashes``: every photo a submission cites, however deep, in first-mention order."""
from sync.results import photo_hashes

A, B, C = "a" * 64, "b" * 64, "c" * 64


def test_listed_photos_come_first_then_those_cited_in_answers_and_defects():
    args = {"photos": [{"sha256": B}],
            "answers": {"x": {"value": "fail", "photos": [A, B],
                              "defects": [{"criterion": "x.1", "photos": [C]}]},
                        "y": {"value": "pass"}}}
    assert photo_hashes(args) == [B, A, C]


def test_answers_without_photos_give_only_the_listed_ones():
    args = {"photos": [{"sha256": A}], "answers": {"x": {"value": "pass", "note": "ok"}}}
    assert photo_hashes(args) == [A]


def test_the_word_photos_as_text_is_not_a_citation():
    args = {"answers": {"x": {"value": "photos", "note": '"photos"'}, "y": {"photos": [C]}}}
    assert photo_hashes(args) == [C]


def test_only_sha256_strings_under_photos_count():
    args = {"answers": {"x": {"photos": [A, "not-a-hash", 7, {"sha256": B}]}}}
    assert photo_hashes(args) == [A]


def test_answers_json_cannot_encode_are_walked_all_the_same():
    big = 2 ** 70  # beyond 64 bits: orjson refuses it, the walk does not care
    args = {"answers": {"x": {"value": big, "photos": [A]}, "r": [{"photos": [B]}]}}
    assert photo_hashes(args) == [A, B]


def test_no_answers_at_all():
    assert photo_hashes({"photos": []}) == []
    assert photo_hashes({"answers": None}) == []
