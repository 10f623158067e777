"""The pages: server-rendered HTML (Jinja2, autoescaped) over the same
store functions as the JSON API and the CLI, with SVG charts drawn on the
server and one stylesheet; no script, nothing loaded from elsewhere.

One router a page type: ``home`` (/), ``relations`` (/relations/{a}/{b}),
``stories`` (/stories/{id}), ``network`` (/network), ``search`` (/search).
``accord.api.create_app`` mounts them beside the API."""

from . import home, network, relations, search, stories

routers = [home.router, relations.router, stories.router, network.router, search.router]

__all__ = ["routers"]
