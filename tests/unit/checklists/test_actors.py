"""One identity type: an admin acts at every site, but pulls only the sites they are assigned."""
from checklists.actors import Actor
from sync.actor import buckets_for


def test_admin_works_at_every_site_and_pulls_only_assigned_ones():
    admin = Actor("u-a", "admin", {"s1"}, device_id="d1")
    assert admin.works_at("s1") and admin.works_at("s2")
    assert buckets_for(admin) == ["defs", "site:s1", "user:u-a"]


def test_field_roles_work_only_at_assigned_sites():
    guard = Actor("u-g", "guard", ["s1"])
    assert guard.works_at("s1") and not guard.works_at("s2")
    assert not guard.supervises and Actor("u-s", "supervisor", ()).supervises
