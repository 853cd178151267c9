"""What a project file may hold, checked field by field before the app trusts it.

A file damaged by a full disk, a hand edit or a copy must never stop the app: ``check``
returns the reason in plain words (naming the field and the fix), and the start screen lists
the file as damaged. Unknown keys are left alone, so a newer version's files still open.
"""

from __future__ import annotations

from typing import Any

STEPS = range(1, 10)

TOP: dict[str, type | tuple] = {
    "name": str,
    "step": int,
    "resume_step": int,
    "sandbox": bool,
    "sign_in": str,
    "tenant_id": str,
    "subscription_id": str,
    "resource_group": str,
    "location": str,
    "service_id": str,
    "source": dict,
    "target_kind": str,
    "target_id": str,
    "databases": (list, str),
    "settings": dict,
    "migration_ids": (list, str),
    "waves": (dict, (list, str)),
    "created": str,
    "updated": str,
}
SOURCE: dict[str, type | tuple] = {
    "server": str,
    "port": int,
    "authentication": str,
    "user": str,
    "encrypt": bool,
    "trust_server_certificate": bool,
}
SETTINGS: dict[str, type | tuple] = {
    "mode": str,
    "backup": str,
    "storage_account_id": str,
    "container": str,
    "blob_auth": str,
    "share_path": str,
    "share_user": str,
    "target_user": str,
    "target_fqdn": str,
    "target_names": (dict, str),
    "last_backup": (dict, str),
    "tables": (dict, (list, str)),
    "tde_certificates": (dict, str),
}

_WORDS: dict[type, str] = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    float: "a number",
    list: "a list",
    dict: "a table",
}


class Damaged(ValueError):
    """The file can't be used as a project; ``str()`` says why."""


def _word(value: Any) -> str:
    for kind, word in (
        (bool, "true or false"),
        (int, "a whole number"),
        (float, "a number"),
        (str, "text"),
        (list, "a list"),
        (dict, "a table"),
    ):
        if isinstance(value, kind):
            return word
    return type(value).__name__


def _is(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _expect(where: str, value: Any, spec: type | tuple) -> None:
    if isinstance(spec, tuple):  # (container, element spec)
        outer, inner = spec
        _expect(where, value, outer)
        items = value.items() if outer is dict else enumerate(value)
        for key, item in items:
            _expect(f"{where}.{key}" if outer is dict else f"{where}[{key}]", item, inner)
        return
    if not _is(value, spec):
        containers: dict[type, str] = {list: "a list of text", dict: "a table"}
        what = containers.get(spec, _WORDS[spec])
        raise Damaged(f"{where} should be {what}, not {_word(value)} ({value!r:.40}).")


def decode(raw: bytes) -> dict[str, Any]:
    """Bytes → TOML table; ``Damaged`` when the file is empty, not UTF-8 or not TOML."""
    if not raw.strip():
        raise Damaged("the file is empty (a save interrupted by a full disk?).")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Damaged(
            f"it is not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start})."
        ) from None
    import tomllib  # only once there is a file to read: a first start has none

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise Damaged(f"it is not valid TOML: {exc}.") from None


def check(data: dict[str, Any]) -> dict[str, Any]:
    """The known fields, type-checked; ``Damaged`` names the first wrong one."""
    if "name" not in data:
        raise Damaged('it has no name = "..." line.')
    for key, spec in TOP.items():
        if key in data:
            _expect(key, data[key], spec)
    for table, schema in (("source", SOURCE), ("settings", SETTINGS)):
        for key, spec in schema.items():
            if key in data.get(table, {}):
                _expect(f"{table}.{key}", data[table][key], spec)
    if "step" in data and data["step"] not in STEPS:
        raise Damaged(f"step should be 1 to 9, not {data['step']}.")
    if data.get("resume_step", 0) not in (0, *STEPS):  # 0: the same as step
        raise Damaged(f"resume_step should be 0 to 9, not {data['resume_step']}.")
    return {k: v for k, v in data.items() if k in TOP}
