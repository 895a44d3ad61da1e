"""The JSON form of stored events, importable without the domain or pydantic: the
read side decodes the log with it, and must stay cheap to import for a command line."""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.persistence import Transcoder


class CompactJSONTranscoder(Transcoder):
    """UTF-8 JSON without spaces or escapes: the mapper has already made values JSON-safe."""

    def __init__(self) -> None:
        self._encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def encode(self, obj: Any) -> bytes:
        return self._encode(obj).encode()

    def decode(self, data: bytes) -> Any:
        return json.loads(data.decode())  # UTF-8, as encoded (RFC 8259): no sniffing
