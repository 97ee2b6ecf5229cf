"""YAML loading that keeps line numbers, for messages like 'm.yaml:12: ...'."""
import yaml

from .errors import LavaError, where


class PosDict(dict):
    """A mapping with .line (its own line) and .key_lines {key: line}."""
    line = None
    key_lines = None

    def line_of(self, key):
        return (self.key_lines or {}).get(key, self.line)


class PosList(list):
    """A sequence with .line and .item_lines [line, ...]."""
    line = None
    item_lines = None

    def line_of(self, index):
        lines = self.item_lines or []
        return lines[index] if index < len(lines) else self.line


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader, node):
    loader.flatten_mapping(node)
    d = PosDict()
    d.line = node.start_mark.line + 1
    d.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise LavaError("line %d: a mapping key that is not a plain value"
                            % (key_node.start_mark.line + 1))
        if key in d:
            raise yaml.MarkedYAMLError(None, None, "duplicate key %r" % (key,),
                                       key_node.start_mark)
        d[key] = loader.construct_object(value_node, deep=True)
        d.key_lines[key] = key_node.start_mark.line + 1
    return d


def _sequence(loader, node):
    lst = PosList(loader.construct_object(n, deep=True) for n in node.value)
    lst.line = node.start_mark.line + 1
    lst.item_lines = [n.start_mark.line + 1 for n in node.value]
    return lst


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_text(text, path):
    """Parse YAML text; errors name path and line."""
    try:
        return yaml.load(text, Loader=_Loader)  # nosec - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise LavaError("%s: malformed YAML: %s" % (where(path, line), exc.problem or exc.context))
    except yaml.YAMLError as exc:
        raise LavaError("%s: malformed YAML: %s" % (path, exc))


def load_file(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        raise LavaError("%s: cannot read: %s" % (path, exc.strerror or exc))
    except UnicodeDecodeError as exc:
        raise LavaError("%s: not UTF-8 text: %s" % (path, exc))
    return load_text(text, path)
