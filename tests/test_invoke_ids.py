"""The ids a call carries look as Lambda's do: request ids are version-4 UUIDs, trace ids X-Ray's format."""

import re
import uuid

from workbench.engine.invoke_request import new_request_id, new_trace_id


def test_request_ids_are_random_version_4_uuids():
    ids = {new_request_id() for _ in range(500)}
    assert len(ids) == 500
    for text in ids:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_trace_ids_have_xrays_shape():
    assert re.fullmatch(r"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0", new_trace_id())
