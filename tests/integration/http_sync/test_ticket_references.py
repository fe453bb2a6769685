"""A ticket may cite only results and photos its author may see (issue 11)."""
from .conftest import Device, jpeg_bytes, photo_state, sha, submit


def ticket(site_id, ticket_id, **refs):
    return ("create_ticket", {"ticket_id": ticket_id, "site_id": site_id, "title": "裂缝",
                              **refs})


def test_a_site_b_ticket_cannot_cite_a_site_a_result_or_photo(client, guard, team, published):
    photo = jpeg_bytes()
    guard.push(submit(team.site_a["id"], "r-a", photos=[sha(photo)]))
    assert photo_state(guard.upload(photo)) == "accepted"
    other = Device(client, team.guard_b_headers)
    r = other.push(ticket(team.site_b["id"], "t1", result_id="r-a"),
                   ticket(team.site_b["id"], "t2", photos=[sha(photo)]),
                   ticket(team.site_b["id"], "t3", result_id="no-such-result"))
    assert r.status_code == 200
    answers = r.json["results"]
    assert [a["status"] for a in answers] == ["rejected"] * 3
    assert [a["error"]["code"] for a in answers] == ["invalid_reference"] * 3
    assert "result_id" in answers[0]["error"]["errors"]
    assert "photos" in answers[1]["error"]["errors"]
    assert answers[0]["error"]["message"] == answers[2]["error"]["message"].replace(
        "no-such-result", "r-a")  # a foreign result reads like a missing one


def test_own_site_references_and_photos_still_to_come_are_fine(guard, team, published):
    photo, later = jpeg_bytes(), jpeg_bytes(color=(1, 2, 3))
    guard.push(submit(team.site_a["id"], "r-a", photos=[sha(photo)]))
    guard.upload(photo)
    r = guard.push(ticket(team.site_a["id"], "t1", result_id="r-a",
                          photos=[sha(photo), sha(later)]),
                   ("comment_ticket", {"ticket_id": "t1", "comment_id": "c1", "text": "见图",
                                       "photos": [sha(photo)]}))
    assert [a["status"] for a in r.json["results"]] == ["applied", "applied"], r.json
