"""The YAML of a records file (`near_gov.records`): read with every node's line, and
where a syntax error falls among its records."""

from __future__ import annotations

import re
from typing import Any

import yaml

from domain.errors import InvalidInput

# YAML: the 1.2 core schema for booleans (only true/false), dates kept as text, and
# duplicate keys refused, so that `on:`, `NO` (Norway) or a repeated `name:` in a
# hand-edited file cannot silently change meaning.

class _Yaml(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)):
                continue  # the library refuses unhashable keys itself
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


_Yaml.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                            list("tTfF"))


def parse(file: str, text: str) -> tuple[Any, Any]:
    loader = _Yaml(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        # Where the broken construct began (an unclosed quote) is more use than the end of file.
        mark = e.context_mark or e.problem_mark
        line = mark.line + 1 if mark else 1
        record = _record_at(text, line)
        where = f"record {record} (line {line})" if record else f"line {line}"
        problem = e.problem or "bad YAML"
        if e.context and e.problem_mark and e.problem_mark.line + 1 != line:
            problem = f"{e.context}, {problem} (line {e.problem_mark.line + 1})"
        elif e.context:
            problem = f"{e.context}, {problem}"
        raise InvalidInput(f"{file}: {where}: YAML syntax error: {problem}") from None
    except yaml.YAMLError as e:
        raise InvalidInput(f"{file}: YAML error: {e}") from None
    finally:
        loader.dispose()


def _record_at(text: str, line: int) -> int:
    """How many records of the `records` list had begun by `line` (0 if outside it)."""
    depth, key, records_depth, count = 0, None, 0, 0
    expecting_key: list[bool] = []
    try:
        for event in yaml.parse(text, Loader=_Yaml):
            assert event.start_mark is not None  # the parser marks every event it makes
            if event.start_mark.line + 1 > line:
                break
            starts = isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent))
            if starts and records_depth and depth == records_depth:
                count += 1
            if depth == 1 and expecting_key and starts:
                if expecting_key[-1]:
                    key = getattr(event, "value", None)
                elif key == "records" and isinstance(event, yaml.SequenceStartEvent):
                    records_depth = 2
                expecting_key[-1] = not expecting_key[-1]
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                expecting_key.append(isinstance(event, yaml.MappingStartEvent))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                expecting_key.pop()
    except yaml.YAMLError:
        pass
    return count


