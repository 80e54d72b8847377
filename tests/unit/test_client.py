from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from vapi_provider.client import VapiClient, format_time
from vapi_provider.errors import (
    AmbiguousMatchError,
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    BadRequestError,
    CreateOutcomeUnknownError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    VapiConfigError,
)
from vapi_provider.models import VapiPhoneNumberCreate, VapiPhoneNumberUpdate, parse_request

API_KEY = "test-key-abcdef123456"
BASE = "https://api.test"


def _number(id_="n1", **extra):
    return {
        "id": id_,
        "orgId": "org",
        "provider": "vapi",
        "createdAt": "2026-01-01T00:00:00Z",
        "updatedAt": "2026-01-01T00:00:00Z",
        **extra,
    }


def _client(handler, sleeps=None, **kwargs):
    sleeps = [] if sleeps is None else sleeps
    return VapiClient(
        api_key=API_KEY,
        base_url=BASE,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        sleep=sleeps.append,
        **kwargs,
    )


def _create_body(**fields):
    return parse_request(
        VapiPhoneNumberCreate, {"numberDesiredAreaCode": "415", "name": "line-abc1234", **fields}
    )


def test_client_sends_bearer_auth_to_the_base_url():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, json=_number())

    with _client(handler) as client:
        number = client.get_phone_number("n1")
    assert number.id == "n1"
    assert seen[0].headers["authorization"] == f"Bearer {API_KEY}"
    assert str(seen[0].url) == f"{BASE}/phone-number/n1"


def test_client_quotes_ids_and_rejects_empty_ids():
    seen = []

    def handler(request):
        seen.append(request.url.raw_path)
        return httpx.Response(200, json=_number())

    client = _client(handler)
    client.get_phone_number("a/b")
    assert seen == [b"/phone-number/a%2Fb"]
    with pytest.raises(ValueError):
        client.get_phone_number("")


def test_client_requires_an_api_key_and_a_url():
    with pytest.raises(VapiConfigError):
        VapiClient(api_key="")
    with pytest.raises(VapiConfigError):
        VapiClient(api_key="k", base_url="api.vapi.ai")


def test_client_retries_429_honouring_retry_after():
    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) < 3:
            return httpx.Response(429, headers={"Retry-After": "3"}, json={"message": "Rate limit exceeded"})
        return httpx.Response(200, json=_number())

    sleeps = []
    _client(handler, sleeps).get_phone_number("n1")
    assert len(calls) == 3
    assert sleeps == [3.0, 3.0]
    assert [c.headers["x-retry-count"] for c in calls] == ["0", "1", "2"]


def test_client_retry_after_http_date_and_ms():
    date = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    responses = [
        httpx.Response(503, headers={"Retry-After": date}),
        httpx.Response(503, headers={"retry-after-ms": "250"}),
        httpx.Response(200, json=_number()),
    ]
    sleeps = []
    _client(lambda r: responses.pop(0), sleeps).get_phone_number("n1")
    assert 25 < sleeps[0] <= 30
    assert sleeps[1] == 0.25


def test_client_ignores_retry_after_over_60_seconds():
    responses = [httpx.Response(429, headers={"Retry-After": "3600"}), httpx.Response(200, json=_number())]
    sleeps = []
    _client(lambda r: responses.pop(0), sleeps).get_phone_number("n1")
    assert 0.375 <= sleeps[0] <= 0.5


def test_client_backoff_is_jittered_exponential_and_capped():
    sleeps = []
    client = _client(lambda r: httpx.Response(500, json={"message": "boom"}), sleeps, max_retries=6)
    with pytest.raises(InternalServerError):
        client.get_phone_number("n1")
    assert len(sleeps) == 6
    for attempt, delay in enumerate(sleeps):
        nominal = min(0.5 * 2**attempt, 8.0)
        assert 0.75 * nominal <= delay <= nominal


def test_client_gives_up_after_max_retries():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(502)

    with pytest.raises(InternalServerError) as info:
        _client(handler, max_retries=2).get_phone_number("n1")
    assert len(calls) == 3
    assert "GET /phone-number/n1 failed with 502" in str(info.value)


def test_client_retries_get_after_read_timeout_and_connection_errors():
    calls = []

    def handler(request):
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ReadTimeout("slow", request=request)
        if len(calls) == 2:
            raise httpx.RemoteProtocolError("dropped", request=request)
        return httpx.Response(200, json=_number())

    assert _client(handler).get_phone_number("n1").id == "n1"
    assert len(calls) == 3


def test_client_timeout_error_after_retries():
    def handler(request):
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(APITimeoutError) as info:
        _client(handler, max_retries=1).get_phone_number("n1")
    assert info.value.request_sent is True


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_client_retries_patch_and_delete_on_5xx(method):
    responses = [httpx.Response(500), httpx.Response(408), httpx.Response(200, json=_number())]
    client = _client(lambda r: responses.pop(0))
    if method == "PATCH":
        client.update_phone_number("n1", VapiPhoneNumberUpdate(name="x"))
    else:
        client.delete_phone_number("n1")
    assert responses == []


def test_client_does_not_retry_4xx():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(404, json={"message": "Not Found"})

    with pytest.raises(NotFoundError):
        _client(handler).get_phone_number("n1")
    assert len(calls) == 1


@pytest.mark.parametrize(
    "first",
    [
        lambda request: (_ for _ in ()).throw(httpx.ConnectError("refused", request=request)),
        lambda request: (_ for _ in ()).throw(httpx.ConnectTimeout("connect", request=request)),
        lambda request: httpx.Response(429, headers={"Retry-After": "0"}),
        lambda request: httpx.Response(503),
    ],
    ids=["connect-error", "connect-timeout", "429", "503"],
)
def test_client_post_retried_only_when_not_committed(first):
    posts = []

    def handler(request):
        if request.method == "GET":
            return httpx.Response(200, json=[])
        posts.append(request)
        if len(posts) == 1:
            return first(request)
        return httpx.Response(201, json=_number("new", name="line-abc1234"))

    assert _client(handler).create_phone_number(_create_body()).id == "new"
    assert len(posts) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 409, 422])
def test_client_post_not_retried_on_client_errors(status):
    posts = []

    def handler(request):
        if request.method == "GET":
            return httpx.Response(200, json=[])
        posts.append(1)
        return httpx.Response(status, json={"message": "no"})

    with pytest.raises(Exception) as info:
        _client(handler).create_phone_number(_create_body())
    assert getattr(info.value, "status_code", None) == status
    assert len(posts) == 1


def _now() -> str:
    return format_time(datetime.now(UTC))


def _search_page(numbers, request):
    """The answer of `GET /v2/phone-number?search=...`: one page of the numbers containing the term."""
    term = request.url.params.get("search", "").casefold()
    found = [
        n
        for n in numbers
        if any(term in str(n.get(k) or "").casefold() for k in ("name", "number", "sipUri"))
    ]
    return httpx.Response(200, json={"results": found, "metadata": {"hasNextPage": False}})


def _org_server(commit_then_fail=0, fail_before_commit=0, existing=(), lag=False):
    """A tiny stateful fake: POST stores a number; failures can happen before or after the commit.

    With `lag`, lists never show numbers created by a POST (an eventually consistent read replica)."""
    state = {"numbers": list(existing), "posts": 0, "lists": 0, "created": []}

    def handler(request):
        if request.method == "GET" and request.url.path in ("/phone-number", "/v2/phone-number"):
            state["lists"] += 1
            shown = [n for n in state["numbers"] if not (lag and n["id"] in state["created"])]
            if request.url.path == "/phone-number":
                return httpx.Response(200, json=shown)
            return _search_page(shown, request)
        if request.method == "POST":
            state["posts"] += 1
            if state["posts"] <= fail_before_commit:
                raise httpx.ReadTimeout("slow", request=request)
            body = json.loads(request.content)
            created = _number(
                f"id-{state['posts']}", name=body.get("name"), sipUri=body.get("sipUri"), createdAt=_now()
            )
            state["numbers"].insert(0, created)
            state["created"].append(created["id"])
            if state["posts"] <= commit_then_fail:
                raise httpx.RemoteProtocolError("server dropped the connection", request=request)
            return httpx.Response(201, json=created)
        return httpx.Response(404)

    return state, handler


def test_client_unique_name_committed_then_dropped_is_taken_not_repeated():
    state, handler = _org_server(commit_then_fail=1)
    number = _client(handler).create_phone_number(_create_body(), unique_name=True)
    assert (state["posts"], state["lists"], number.id) == (1, 1, "id-1")
    assert len(state["numbers"]) == 1


def test_client_a_successful_create_with_a_unique_name_or_a_sip_uri_and_autoname_is_one_request():
    state, handler = _org_server()
    _client(handler).create_phone_number(_create_body(), unique_name=True)
    assert (state["posts"], state["lists"]) == (1, 0)


def test_client_explicit_name_snapshots_first_and_never_takes_a_number_on_an_unknown_outcome():
    # Another stack's number of the same name existed before: never a candidate.
    theirs = _number("theirs", name="line-abc1234", createdAt=_now())
    state, handler = _org_server(commit_then_fail=1, existing=[theirs])
    with pytest.raises(CreateOutcomeUnknownError) as info:
        _client(handler).create_phone_number(_create_body())
    assert (state["posts"], state["lists"]) == (1, 2)  # the snapshot, then one reconciling list
    assert info.value.candidates == ["id-1"]
    assert "may have been bought" in str(info.value) and "id-1" in str(info.value)


def test_client_never_posts_again_after_an_unknown_outcome_even_when_the_list_shows_nothing():
    # The list lags behind the committed create: "not listed" does not prove "not bought".
    state, handler = _org_server(commit_then_fail=1, lag=True)
    with pytest.raises(CreateOutcomeUnknownError) as info:
        _client(handler).create_phone_number(_create_body(), unique_name=True)
    assert state["posts"] == 1 and info.value.candidates == []
    assert info.value.attempted_at.endswith("Z")


def test_client_a_failing_reconciling_list_is_an_unknown_outcome_not_a_retry():
    posts = []

    def handler(request):
        if request.method == "POST":
            posts.append(request)
            raise httpx.RemoteProtocolError("dropped", request=request)
        return httpx.Response(500, json={"message": "boom"})

    with pytest.raises(CreateOutcomeUnknownError) as info:
        _client(handler, max_retries=0).create_phone_number(_create_body(), unique_name=True)
    assert len(posts) == 1 and "listing the org's numbers to check failed" in str(info.value)


def test_client_post_500_with_a_unique_name_is_reconciled():
    calls = {"posts": 0}
    numbers: list[dict] = []

    def handler(request):
        if request.method == "GET":
            return _search_page(numbers, request)
        calls["posts"] += 1
        numbers.append(_number("committed", name="line-abc1234", createdAt=_now()))
        return httpx.Response(504, json={"message": "Gateway Timeout"})

    assert _client(handler).create_phone_number(_create_body(), unique_name=True).id == "committed"
    assert calls["posts"] == 1


def test_client_reconciliation_ignores_numbers_created_before_the_attempt():
    # A retained number with the same autoname, created long before this attempt, is not this create's.
    old = _number("old", name="line-abc1234", createdAt="2026-01-01T00:00:00.000Z")
    state, handler = _org_server(commit_then_fail=1, existing=[old])
    assert _client(handler).create_phone_number(_create_body(), unique_name=True).id == "id-1"


def test_client_a_sip_uri_alone_proves_nothing():
    # Another stack's number already holds the URI; our POST failed before it was committed.
    theirs = _number("theirs", name="other", sipUri="sip:support@sip.vapi.ai", createdAt=_now())

    def handler(request):
        if request.method == "GET":
            return httpx.Response(200, json=[theirs])
        return httpx.Response(500, json={"message": "boom"})

    body = parse_request(VapiPhoneNumberCreate, {"sipUri": "sip:support@sip.vapi.ai", "name": "line"})
    with pytest.raises(CreateOutcomeUnknownError) as info:
        _client(handler).create_phone_number(body)
    assert info.value.candidates == []  # it existed before the POST


def test_client_reconciliation_ambiguous_unique_name_lists_ids():
    numbers: list[dict] = []

    def handler(request):
        if request.method == "GET":
            return _search_page(numbers, request)
        numbers.extend(
            [
                _number("a", name="line-abc1234", createdAt=_now()),
                _number("b", name="line-abc1234", createdAt=_now()),
            ]
        )
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(AmbiguousMatchError) as info:
        _client(handler).create_phone_number(_create_body(), unique_name=True)
    assert info.value.ids == ["a", "b"]
    assert "a, b" in str(info.value)


def test_client_post_connect_errors_exhausted_raise_connection_error():
    def handler(request):
        if request.method == "GET":
            return httpx.Response(200, json=[])
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(APIConnectionError) as info:
        _client(handler, max_retries=1).create_phone_number(_create_body())
    assert info.value.request_sent is False


def test_client_secrets_never_in_error_messages():
    password = "s3cr3t-password-0123456789"
    header_value = "webhook-header-secret-42"

    def handler(request):
        if request.method == "GET":
            return httpx.Response(200, json=[])
        echoed = f"bad {password} {header_value} {API_KEY} {request.content.decode()}"
        return httpx.Response(400, json={"message": [echoed], "error": "Bad Request"})

    body = _create_body(
        authentication={"username": "u" * 20, "password": password},
        server={"url": "https://example.com/h", "headers": {"X-Auth": header_value}},
        sipUri="sip:abc@sip.vapi.ai",
    )
    with pytest.raises(BadRequestError) as info:
        _client(handler).create_phone_number(body)
    message = str(info.value)
    assert message.startswith("POST /phone-number failed with 400: bad ")
    for secret in (password, header_value, API_KEY):
        assert secret not in message
        assert secret not in repr(info.value)


def test_client_connection_error_message_has_no_body(caplog):
    caplog.set_level(logging.DEBUG, logger="vapi_provider")

    def handler(request):
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(APIConnectionError) as info:
        _client(handler, max_retries=1).update_phone_number(
            "n1",
            parse_request(
                VapiPhoneNumberUpdate, {"authentication": {"username": "u" * 20, "password": "q" * 30}}
            ),
        )
    assert "q" * 30 not in str(info.value)
    assert "q" * 30 not in caplog.text
    assert "retry 1" in caplog.text


def test_client_rate_limit_error_when_retries_exhausted():
    with pytest.raises(RateLimitError):
        _client(lambda r: httpx.Response(429, headers={"Retry-After": "0"}), max_retries=1).get_phone_number(
            "n1"
        )


def test_client_response_validation_error():
    with pytest.raises(APIResponseValidationError):
        _client(lambda r: httpx.Response(200, json={"id": "x"})).get_phone_number("x")
    with pytest.raises(APIResponseValidationError):
        _client(lambda r: httpx.Response(200, text="<html>")).get_phone_number("x")


def test_client_list_tolerates_envelope_and_skips_junk():
    body = {"results": [_number("a"), {"junk": True}], "metadata": {}}
    numbers = _client(lambda r: httpx.Response(200, json=body)).list_phone_numbers()
    assert [n.id for n in numbers] == ["a"]


def test_client_list_sends_limit_and_find_filters():
    seen = []
    items = [
        _number("a", name="x", number="+14155550100"),
        _number("b", name="y", sipUri="sip:Q@sip.vapi.ai"),
    ]

    def handler(request):
        seen.append(request.url.params.get("limit"))
        return httpx.Response(200, json=items)

    client = _client(handler)
    assert [n.id for n in client.find_phone_numbers(name="x")] == ["a"]
    assert [n.id for n in client.find_phone_numbers(number="+14155550100")] == ["a"]
    assert [n.id for n in client.find_phone_numbers(sip_uri="sip:q@sip.vapi.ai")] == ["b"]
    assert seen[0] == "1000"


def test_client_owns_only_the_http_client_it_created():
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=_number())))
    with VapiClient(api_key="k", http_client=http):
        pass
    assert not http.is_closed
    own = VapiClient(api_key="distinct-key-xyz")
    own.close()
    assert own._http.is_closed
    assert "distinct-key-xyz" not in repr(own)
