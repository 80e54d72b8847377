"""GET /phone-number (v1) and GET /v2/phone-number: order, limit, date filters, search, pages."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from .conftest import vapi_sip


def make_numbers(client, count, prefix="line"):
    created = []
    for i in range(count):
        created.append(
            client.post("/phone-number", json=vapi_sip(f"{prefix}{i}", name=f"{prefix} {i}")).json()
        )
    return created


def ids(items):
    return [item["id"] for item in items]


def test_v1_is_newest_first(client):
    created = make_numbers(client, 5)
    assert ids(client.get("/phone-number").json()) == ids(reversed(created))


def test_v1_limit_defaults_to_100(client):
    for i in range(105):
        client.post("/phone-number", json=vapi_sip(f"many{i}"))
    assert len(client.get("/phone-number").json()) == 100
    assert len(client.get("/phone-number", params={"limit": 1000}).json()) == 105


def test_v1_limit_bounds(client):
    make_numbers(client, 3)
    assert len(client.get("/phone-number", params={"limit": 2}).json()) == 2
    assert client.get("/phone-number", params={"limit": 0}).json() == []
    assert len(client.get("/phone-number", params={"limit": "2.0"}).json()) == 2


def test_v1_date_filters(client):
    first = make_numbers(client, 2, "early")
    time.sleep(0.01)
    later = make_numbers(client, 2, "late")
    boundary = later[0]["createdAt"]
    assert ids(client.get("/phone-number", params={"createdAtGe": boundary}).json()) == ids(reversed(later))
    assert ids(client.get("/phone-number", params={"createdAtLt": boundary}).json()) == ids(reversed(first))
    assert later[0]["id"] not in ids(client.get("/phone-number", params={"createdAtGt": boundary}).json())
    assert later[0]["id"] in ids(client.get("/phone-number", params={"createdAtLe": boundary}).json())
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert client.get("/phone-number", params={"createdAtGt": future}).json() == []
    assert len(client.get("/phone-number", params={"createdAtLt": future}).json()) == 4


def test_v1_updated_at_filters(client):
    numbers = make_numbers(client, 3)
    time.sleep(0.01)
    touched = client.patch(f"/phone-number/{numbers[0]['id']}", json={"name": "touched"}).json()
    since = client.get("/phone-number", params={"updatedAtGe": touched["updatedAt"]}).json()
    assert ids(since) == [touched["id"]]
    before = client.get("/phone-number", params={"updatedAtLt": touched["updatedAt"]}).json()
    assert touched["id"] not in ids(before)
    assert len(client.get("/phone-number", params={"updatedAtLe": touched["updatedAt"]}).json()) == 3
    assert client.get("/phone-number", params={"updatedAtGt": touched["updatedAt"]}).json() == []


def test_v2_pages(client):
    created = list(reversed(make_numbers(client, 5)))
    page1 = client.get("/v2/phone-number", params={"limit": 2}).json()
    page3 = client.get("/v2/phone-number", params={"limit": 2, "page": 3}).json()
    assert ids(page1["results"]) == ids(created[:2])
    assert page1["metadata"] == {
        "itemsPerPage": 2,
        "totalItems": 5,
        "currentPage": 1,
        "totalPages": 3,
        "hasNextPage": True,
        "sortOrder": "DESC",
    }
    assert ids(page3["results"]) == ids(created[4:])
    assert page3["metadata"]["hasNextPage"] is False
    beyond = client.get("/v2/phone-number", params={"limit": 2, "page": 9}).json()
    assert beyond["results"] == []


def test_v2_sort_order_asc(client):
    created = make_numbers(client, 3)
    body = client.get("/v2/phone-number", params={"sortOrder": "ASC"}).json()
    assert ids(body["results"]) == ids(created)
    assert body["metadata"]["sortOrder"] == "ASC"


def test_v2_search_matches_name_number_and_sip_uri_case_insensitively(client, emulator):
    emulator.configure(activation_delay_seconds=0)
    by_name = client.post("/phone-number", json=vapi_sip("alpha", name="Front Desk")).json()
    by_sip = client.post("/phone-number", json=vapi_sip("BackOffice")).json()
    by_number = client.post(
        "/phone-number", json={"provider": "vonage", "number": "4930555123", "credentialId": "c"}
    ).json()

    def search(text):
        return ids(client.get("/v2/phone-number", params={"search": text}).json()["results"])

    assert search("front desk") == [by_name["id"]]
    assert search("backoffice") == [by_sip["id"]]
    assert search("0555") == [by_number["id"]]
    assert search("SIP.VAPI") == [by_sip["id"], by_name["id"]]
    assert search("nothing-matches") == []


def test_v2_accepts_sort_by_created_at(client):
    make_numbers(client, 2)
    assert client.get("/v2/phone-number", params={"sortBy": "createdAt"}).status_code == 200


def test_v2_date_filters(client):
    make_numbers(client, 2, "old")
    time.sleep(0.01)
    new = make_numbers(client, 1, "new")
    body = client.get("/v2/phone-number", params={"createdAtGe": new[0]["createdAt"]}).json()
    assert ids(body["results"]) == ids(new)
    assert body["metadata"]["totalItems"] == 1
