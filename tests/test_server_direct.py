"""GuardRequestLine's direct route: the endpoint's path goes to its handler past Starlette's router,
with what the router's way gave it (the same handler, `nosniff`, a 500 for an exception, the 405
for other methods, the Accept bound), and every other path still goes through the router."""

from __future__ import annotations

import asyncio

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from kg.server.app import MAX_ACCEPT_RANGES, GuardRequestLine

calls: list[str] = []


async def endpoint(request):
    calls.append(request.method)
    if request.query_params.get("fail"):
        raise RuntimeError("a bug in the handler")
    return PlainTextResponse(request.headers.get("accept", ""), headers={"X-Handler": "endpoint"})


async def other(request):
    return PlainTextResponse("other")


class make_client:
    """A small synchronous client over the app in this process (httpx's ASGI transport)."""

    def __init__(self):
        methods = ["GET", "HEAD", "POST"]
        self.app = Starlette(routes=[Route("/sparql", endpoint, methods=methods), Route("/other", other)],
                             middleware=[Middleware(GuardRequestLine, max_url=200,
                                                    direct={"/sparql": (endpoint, frozenset(methods))})])

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        async def go():
            transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(go())

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def delete(self, url: str, **kwargs) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)


def test_the_direct_route_answers_with_the_handler_and_nosniff():
    calls.clear()
    with make_client() as client:
        response = client.get("/sparql", headers={"Accept": "text/csv"})
        assert response.status_code == 200 and response.text == "text/csv"
        assert response.headers["x-handler"] == "endpoint"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert client.post("/sparql").status_code == 200
    assert calls == ["GET", "POST"]


def test_the_direct_route_keeps_the_accept_bound_and_the_url_limit():
    with make_client() as client:
        many = ",".join(f"text/x-{i}" for i in range(MAX_ACCEPT_RANGES * 3))
        assert client.get("/sparql", headers={"Accept": many}).text.count(",") == MAX_ACCEPT_RANGES - 1
        response = client.get("/sparql?query=" + "x" * 300)
        assert response.status_code == 414


def test_other_methods_and_paths_go_through_the_router():
    calls.clear()
    with make_client() as client:
        refused = client.delete("/sparql")
        assert refused.status_code == 405 and refused.headers["x-content-type-options"] == "nosniff"
        routed = client.get("/other")
        assert routed.text == "other" and routed.headers["x-content-type-options"] == "nosniff"
        assert client.get("/missing").status_code == 404
    assert calls == []


def test_an_exception_in_the_handler_is_a_500_without_a_traceback():
    with make_client() as client:
        response = client.get("/sparql?fail=1")
        assert response.status_code == 500
        assert "Traceback" not in response.text and "a bug in the handler" not in response.text
