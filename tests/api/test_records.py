from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from runform.providers.cutover.api import Ref, Resource
from runform.providers.cutover.api.records import decode_page, decode_resource, encode_document

ids = st.one_of(st.integers(min_value=1, max_value=10**9), st.text(string.digits, min_size=1))
names = st.text(string.ascii_lowercase + "_", min_size=1, max_size=12)


def test_decode_flattens_relationships_and_ignores_unknown_fields():
    resource = decode_resource(
        {
            "data": {
                "id": 12,
                "type": "task",
                "attributes": {"name": "Deploy", "brand_new_field": 1},
                "relationships": {
                    "stream": {"data": {"id": "3", "type": "stream"}, "links": {"x": "y"}},
                    "predecessors": {
                        "data": [{"id": 1, "type": "task"}, {"id": "2", "type": "task"}]
                    },
                    "task_action": {"data": None},
                    "comments": {"links": {"related": "/x"}},
                },
                "links": {"self": "/core/runbooks/1/tasks/12"},
                "unheard_of": True,
            },
            "included": [],
        }
    )
    assert resource.id == "12"
    assert resource.attributes["brand_new_field"] == 1
    assert resource.rel_id("stream") == "3"
    assert resource.rel_ids("predecessors") == ["1", "2"]
    assert resource.rel_id("task_action") is None
    assert resource.rel_ids("comments") == []
    assert resource.rel_ids("missing") == []


def test_decode_page_reads_links_and_meta():
    page = decode_page(
        {
            "data": [{"id": "1", "type": "workspace", "attributes": {"name": "Default"}}],
            "links": {"next": "/core/workspaces?page[number]=2", "last": "/x?page[number]=4"},
            "meta": {"page": {"total": 4, "number": 1}},
        }
    )
    assert [r.id for r in page.resources] == ["1"]
    assert page.next_link == "/core/workspaces?page[number]=2"
    assert page.page_meta["total"] == 4


relationship_values = st.one_of(
    st.none(),
    st.builds(Ref, id=ids.map(str), type=names),
    st.lists(st.builds(Ref, id=ids.map(str), type=names), max_size=4),
)


@given(
    resource_id=ids,
    kind=names,
    attributes=st.dictionaries(names, st.one_of(st.integers(), st.text(), st.none())),
    relationships=st.dictionaries(names, relationship_values, max_size=4),
)
def test_encode_then_decode_round_trips(resource_id, kind, attributes, relationships):
    document = encode_document(kind, attributes, relationships, id=str(resource_id))
    decoded = decode_resource(document)
    assert decoded.id == str(resource_id)
    assert decoded.type == kind
    assert decoded.attributes == attributes
    assert decoded.relationships == relationships
    for name, value in relationships.items():
        if isinstance(value, list):
            assert decoded.rel_ids(name) == [ref.id for ref in value]
        elif isinstance(value, Ref):
            assert decoded.rel_id(name) == value.id


def test_encode_accepts_plain_dicts_and_meta():
    document = encode_document(
        "runbook",
        {"name": "R"},
        {"workspace": {"id": 1, "type": "workspace"}},
        meta={"copy": {"source_runbook_id": 5}},
    )
    assert document == {
        "data": {
            "type": "runbook",
            "attributes": {"name": "R"},
            "relationships": {"workspace": {"data": {"type": "workspace", "id": "1"}}},
        },
        "meta": {"copy": {"source_runbook_id": 5}},
    }
    assert isinstance(Resource.model_validate(document["data"] | {"id": "1"}), Resource)
