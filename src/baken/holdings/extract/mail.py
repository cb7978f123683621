"""E-mail: a message's headers and body as text, its attachments as children; an mbox
file as one child per message."""

from __future__ import annotations

import email
import mailbox
import tempfile
from email import policy
from email.message import EmailMessage, Message
from pathlib import Path

from baken.holdings.extract.archive import file_name
from baken.holdings.extract.limits import Limits, TextBuffer
from baken.holdings.extract.text import html_to_text
from baken.holdings.types import Child, Extracted, Quarantined

HEADERS = ("Subject", "From", "To", "Cc", "Date")
MAX_PARTS_DEPTH = 20  # multiparts nested deeper than this are not a real mail client's


def _parse(data: bytes) -> EmailMessage:
    return email.message_from_bytes(data, policy=policy.default)


def _header(message: Message, key: str) -> str:
    try:
        value = message.get(key)
    except Exception:  # a malformed header loses itself, not the message
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _part_text(part: EmailMessage, limit: int) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_type() == "text/html":
        return html_to_text(content, limit)[0]
    return content


class _Attachments:
    """Collects a message's attachments as children with unique, plain names."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.children: list[Child] = []
        self._names: set[str] = set()

    def add(self, name: str, data: bytes) -> None:
        if len(self.children) >= self.limits.max_members:
            raise Quarantined("too_many", f"more than {self.limits.max_members} attachments")
        stem, dot, suffix = name.rpartition(".")
        unique, number = name, 1
        while unique in self._names:
            number += 1
            unique = f"{stem}-{number}.{suffix}" if dot and stem else f"{name}-{number}"
        self._names.add(unique)
        self.children.append(Child(name=unique, data=data))

    def collect(self, message: EmailMessage, body: TextBuffer, level: int = 0) -> None:
        if level > MAX_PARTS_DEPTH:
            raise Quarantined("too_deep", "multipart structure nested too deeply")
        for part in message.iter_attachments():
            number = len(self.children) + 1
            if part.get_content_type() == "message/rfc822":
                inner = part.get_payload(0)
                name = file_name(part.get_filename(), f"attached-message-{number:02d}.eml")
                data = inner.as_bytes() if isinstance(inner, Message) else b""
                self.add(name if name.lower().endswith(".eml") else f"{name}.eml", data)
            elif part.is_multipart():
                # a nested mixed part (a forwarded bundle): its body text, then its files
                inner_body = part.get_body(preferencelist=("plain", "html"))
                if isinstance(inner_body, EmailMessage):
                    body.add("\n\n" + _part_text(inner_body, body.limit))
                self.collect(part, body, level + 1)
            else:
                payload = part.get_payload(decode=True)
                name = file_name(part.get_filename(), f"attachment-{number:02d}")
                self.add(name, payload if isinstance(payload, bytes) else b"")


def extract_eml(data: bytes, mime: str, limits: Limits) -> Extracted:
    message = _parse(data)
    buffer = TextBuffer(limits.max_text_chars)
    for key in HEADERS:
        if value := _header(message, key):
            buffer.add(f"{key}: {value}\n")
    buffer.add("\n")
    body = message.get_body(preferencelist=("plain", "html"))
    if isinstance(body, EmailMessage):
        buffer.add(_part_text(body, limits.max_text_chars))
    attachments = _Attachments(limits)
    attachments.collect(message, buffer)
    result = Extracted(
        mime=mime,
        text=buffer.text().strip(),
        title=_header(message, "Subject") or None,
        children=attachments.children,
    )
    if buffer.truncated:
        result.meta["truncated"] = "true"
    return result


def extract_mbox(data: bytes, mime: str, limits: Limits) -> Extracted:
    children: list[Child] = []
    with tempfile.TemporaryDirectory(prefix="baken-mbox-") as directory:
        path = Path(directory) / "in.mbox"
        path.write_bytes(data)
        box = mailbox.mbox(path, create=False)
        try:
            keys = box.keys()
            if len(keys) > limits.max_members:
                raise Quarantined("too_many", f"{len(keys)} messages")
            for number, key in enumerate(keys, start=1):
                children.append(Child(name=f"message-{number:04d}.eml", data=box.get_bytes(key)))
        finally:
            box.close()
    return Extracted(mime=mime, children=children, meta={"messages": str(len(children))})
