"""Pages fetched from the web (httpx), with the checks a crawler owes the
hosts it visits and the network it runs in.

- Size and time caps: the body is read in chunks and refused past
  ``Settings.max_bytes``; the whole fetch has ``Settings.fetch_timeout``.
- A clear user agent, and robots.txt honoured for it.
- Redirects followed by hand (at most ``MAX_REDIRECTS``), each checked as
  the first URL was.
- Private, loopback, link-local, multicast and reserved addresses are
  refused after DNS resolution, on every hop, unless ``allow_private``.
- A URL that cannot be parsed (a bad port, an unclosed IPv6 bracket), given
  or in a redirect, or of another scheme than http(s), is that URL's
  ``InputError``.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from urllib.parse import SplitResult, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from .. import __version__
from .._errors import InputError

USER_AGENT = f"accord/{__version__} (news event coder; +https://pypi.org/project/accord/)"
MAX_REDIRECTS = 5
SCHEMES = ("http", "https")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(value: str) -> bool:
    """``value`` names a URL (``scheme://``), fetched or refused as one,
    never taken for a path."""
    return _SCHEME.match(value) is not None


def _split(url: str) -> SplitResult:
    """The parts of an http(s) ``url``, its port checked; ``InputError``
    for one that cannot be parsed or has another scheme."""
    try:
        parts = urlsplit(url)
        parts.port  # urlsplit parses the port only when it is asked for
    except ValueError as err:
        raise InputError(url, f"not a valid URL: {err}") from None
    if parts.scheme not in SCHEMES:
        raise InputError(url, f"unsupported URL scheme {parts.scheme or 'none'!r}: only http and https URLs are "
                                "fetched")
    return parts


def _check_address(url: str, allow_private: bool) -> None:
    """Refuse a URL whose host resolves to an address outside the public
    internet (each address the name resolves to is checked)."""
    parts = _split(url)
    host = parts.hostname
    if not host:
        raise InputError(url, "the URL names no host")
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise InputError(url, f"the host {host!r} cannot be resolved ({err})") from None
    if allow_private:
        return
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if (address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
                or address.is_reserved or address.is_unspecified):
            raise InputError(url, f"refused: {host} resolves to {address}, a private, loopback, link-local or "
                                  "multicast address (pass --allow-private to fetch it)")


def _robots_allow(client, url: str, deadline: float) -> bool:
    parts = urlsplit(url)
    robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
    try:
        response = client.get(robots_url, timeout=max(0.1, deadline - time.monotonic()))
    except Exception:  # no robots.txt to be had: nothing forbids the page
        return True
    if response.status_code >= 400:
        return True
    parser = RobotFileParser()
    parser.parse(response.text[:500_000].splitlines())
    return parser.can_fetch(USER_AGENT, url)


def _check_hop(url: str, current: str, allow_private: bool) -> None:
    """``_check_address`` of where ``url`` led: a refusal names ``url``, the
    document as given, and says where it was redirected."""
    try:
        _check_address(current, allow_private)
    except InputError as err:
        if current == url:
            raise
        raise InputError(url, f"redirected to {current}: {err.reason}") from None


def _redirect(url: str, current: str, location: str) -> str:
    """Where a redirect from ``current`` leads; a ``Location`` that is no
    URL is a failure of ``url``, the one given."""
    try:
        return urljoin(current, location)
    except ValueError as err:
        raise InputError(url, f"a redirect from {current} to {location!r}, which is not a valid URL: {err}") from None


def fetch(url: str, *, max_bytes: int, timeout: float, allow_private: bool = False) -> tuple[bytes, str, str | None]:
    """(body, final URL, content type) of ``url``; ``InputError`` naming the
    URL and the reason for anything refused or failed."""
    import httpx

    deadline = time.monotonic() + timeout
    _split(url)
    with httpx.Client(headers={"User-Agent": USER_AGENT}, follow_redirects=False, trust_env=False) as client:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            _check_hop(url, current, allow_private)
            if not _robots_allow(client, current, deadline):
                raise InputError(url, f"robots.txt of {urlsplit(current).netloc} disallows {current} for accord")
            try:
                with client.stream("GET", current, timeout=max(0.1, deadline - time.monotonic())) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise InputError(url, f"a redirect from {current} without a Location")
                        current = _redirect(url, current, location)
                        continue
                    if response.status_code >= 400:
                        raise InputError(url, f"the server answered {response.status_code} for {current}")
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise InputError(url, f"too big: {declared} bytes, the cap is {max_bytes}")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            raise InputError(url, f"too big: more than {max_bytes} bytes, the cap")
                        if time.monotonic() > deadline:
                            raise InputError(url, f"too slow: not fetched within {timeout:g} s")
                    return bytes(body), current, response.headers.get("content-type")
            except httpx.TimeoutException:
                raise InputError(url, f"too slow: not fetched within {timeout:g} s") from None
            except httpx.InvalidURL as err:
                raise InputError(url, f"not a valid URL: {err}") from None
            except httpx.HTTPError as err:
                raise InputError(url, f"cannot be fetched ({type(err).__name__}: {err})") from None
        raise InputError(url, f"more than {MAX_REDIRECTS} redirects")
