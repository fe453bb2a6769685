"""Household bodies for the tests: valid as they are, changed with keyword arguments."""
from __future__ import annotations

from datetime import date

from checklists.households import load_household

TODAY = date(2026, 11, 15)
NAME, PHONE, ID_NUMBER = "王秀英", "13800138000", "440301194501011234"


def elderly_body(**changes) -> dict:
    body = {"building": "3", "unit": "201", "checkpoint_tag": "NHG-B3",
            "categories": ["elderly_alone"],
            "occupants": [{"name": NAME, "phone": PHONE, "id_number": ID_NUMBER,
                           "birth_date": "1945-01-01"}],
            "emergency_contacts": [{"name": "王小明", "phone": "13900139000",
                                    "relation": "son", "lives_away": True}]}
    body.update(changes)
    return body


def rental_body(**changes) -> dict:
    body = {"building": "1", "unit": "1203", "categories": ["rental"],
            "occupants": [{"name": "李租客", "phone": "13700137000"}],
            "tenancy": {"tenant_agreement_on_file": True, "id_copies_on_file": True},
            "helpers": [{"kind": "hourly_worker", "name": "张阿姨",
                         "pass_issued": "2026-09-01", "pass_expires": "2026-11-20"}]}
    body.update(changes)
    return body


def stored(body: dict, hid: str, site_id: str = "site-a") -> dict:
    """A record as the service stores it: validated, with its id and site."""
    return {**load_household(body, TODAY), "id": hid, "site_id": site_id}
