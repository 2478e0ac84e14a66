"""Open311 GeoReport v2 documents from plain data, without Django: XML (the mandatory
format) built with xml.etree, and the JSON mirror of it (list roots become arrays, the
service definition and the discovery stay objects).

Values: ``None`` → an empty element / ``null``; booleans → ``true``/``false``; numbers
as written by Python; lists of dicts → a container with one child element per item, named
by ITEM_NAMES (attributes → attribute, values → value, notes → note …)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from xml.etree import ElementTree

ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "notes": "note",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = {"xml": "text/xml", "json": "application/json"}
# characters XML 1.0 does not allow; an echoed parameter may contain them
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def timestamp(moment: dt.datetime | None) -> str | None:
    """W3C date-time with the zone offset, to the second: 2026-05-04T09:30:00+02:00."""
    return None if moment is None else moment.isoformat(timespec="seconds")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return _NOT_XML.sub("\ufffd", str(value))


def _append(parent: ElementTree.Element, name: str, value) -> None:
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, Mapping):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list | tuple):
        item_name = ITEM_NAMES.get(name, "item")
        for item in value:
            _append(element, item_name, item)
    else:
        element.text = _text(value)


def xml_document(root: str, content) -> bytes:
    """``content`` a list (items named after ITEM_NAMES[root]) or a mapping (children)."""
    element = ElementTree.Element(root)
    if isinstance(content, Mapping):
        for key, value in content.items():
            _append(element, key, value)
    else:
        item_name = ITEM_NAMES[root]
        for item in content:
            _append(element, item_name, item)
    return XML_DECLARATION + ElementTree.tostring(element, encoding="utf-8", xml_declaration=False)


def errors(problems: Iterable[tuple[int, str]]) -> list[dict]:
    """[(code, description)] → the items of an errors document."""
    return [{"code": code, "description": description} for code, description in problems]


def service(
    code: str,
    name: str,
    description: str,
    *,
    metadata: bool,
    service_type: str,
    keywords: str,
    group: str,
) -> dict:
    return {
        "service_code": str(code),
        "service_name": name,
        "description": description or None,
        "metadata": bool(metadata),
        "type": service_type,
        "keywords": keywords or None,
        "group": group or None,
    }


def attribute(
    *,
    variable: bool,
    code: str,
    datatype: str,
    required: bool,
    datatype_description: str,
    order: int,
    description: str,
    values: list[tuple[str, str]],
) -> dict:
    return {
        "variable": bool(variable),
        "code": str(code),
        "datatype": datatype,
        "required": bool(required),
        "datatype_description": datatype_description or None,
        "order": int(order),
        "description": description or None,
        "values": [{"key": str(key), "name": name} for key, name in values],
    }


def discovery(*, changeset: dt.datetime, contact: str, key_service: str, urls: list[str]) -> dict:
    return {
        "changeset": timestamp(changeset),
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": timestamp(changeset),
                "type": "production",
                "formats": list(FORMATS.values()),
            }
            for url in urls
        ],
    }
