"""Device dictionaries rendered as lava-server renders them for a job.

lava-server renders a device's dictionary (a jinja2 template extending the
device type's template) with the job's `context:` as variables and gives the
result to lava-run; lava-run itself does not apply the context. Without the
context the qemu type renders `qemu-system-` with -enable-kvm."""
import os

import yaml

from .errors import LavaError

LAVA_JOBS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEVICE_TYPE_DIRS = (
    os.environ.get("TCELAB_LAVA_DEVICE_TYPES", ""),
    "/etc/lava-server/dispatcher-config/device-types",
    "/usr/share/lava-server/device-types",
    # scripts/setup-lava unpacks them here when lava-server is not installed.
    "/usr/local/share/tcelab/lava-device-types",
)


def device_type_dirs():
    dirs = [d for d in DEVICE_TYPE_DIRS if d and os.path.isfile(os.path.join(d, "base.jinja2"))]
    if not dirs:
        raise LavaError("no LAVA device-type templates (base.jinja2) in %s: run scripts/setup-lava"
                        % ", ".join(d for d in DEVICE_TYPE_DIRS if d))
    # lava-jobs/device-types first: the lab-local types (tcelab-powernv).
    return [os.path.join(LAVA_JOBS, "device-types")] + dirs


def render(dictionary_path, context=None):
    """Render a device dictionary file with a job's context; returns (text, data)."""
    import jinja2
    try:
        with open(dictionary_path, encoding="utf-8") as f:
            source = f.read()
    except OSError as exc:
        raise LavaError("%s: cannot read: %s" % (dictionary_path, exc.strerror))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(device_type_dirs()),
                             trim_blocks=True, autoescape=False)
    try:
        text = env.from_string(source).render(**(context or {}))
    except jinja2.TemplateNotFound as exc:
        raise LavaError("%s: unknown device type template %s (not in %s)"
                        % (dictionary_path, exc.name, ", ".join(device_type_dirs())))
    except jinja2.TemplateError as exc:
        raise LavaError("%s: %s" % (dictionary_path, exc))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LavaError("%s: rendered to malformed YAML: %s" % (dictionary_path, exc))
    if not isinstance(data, dict) or "actions" not in data:
        raise LavaError("%s: rendered to no device configuration (no 'actions')" % dictionary_path)
    return text, data


def qemu_local(context):
    """The local qemu device for a job with this context."""
    text, data = render(os.path.join(LAVA_JOBS, "devices", "qemu-local.jinja2"), context)
    cmd = data["actions"]["boot"]["methods"]["qemu"]["parameters"]["command"]
    if not cmd or cmd.endswith("-"):
        raise LavaError("the job's context gives no QEMU binary (context.arch missing?)")
    return text
