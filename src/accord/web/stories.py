"""/stories/{id}: a happening, each report of it with the sentence marked
in its article's text, the first report, and the near-duplicate copies."""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from ..api._errors import ApiError
from ._render import render
from .highlight import pieces

router = APIRouter(include_in_schema=False)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: int = Path(ge=1, le=2**63 - 1)) -> HTMLResponse:
    store = request.app.state.store
    found = store.story(story_id)
    if found is None:
        raise ApiError(404, f"no story {story_id} in the store", "story_id")
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for ev in store.events(countries=found["countries"]):
        if ev["story_id"] == story_id:
            spans[ev["article_id"]].extend((s["start"], s["end"]) for s in ev["evidence"])
    articles = {a["id"]: a for a in store.articles()}
    reports = [{"article": articles[aid], "pieces": pieces(articles[aid]["text"], spans[aid]),
                "sentences": len(spans[aid]), "first": aid == found["first_article_id"]}
               for aid in found["articles"] if aid in articles]
    reports.sort(key=lambda r: (not r["first"], r["article"]["published"] or "", r["article"]["id"]))
    copies = [a for a in articles.values() if a["copy_of"] in set(found["articles"])]
    return HTMLResponse(render(request, "story.html", story=found, reports=reports, copies=copies,
                               first=articles.get(found["first_article_id"])))
