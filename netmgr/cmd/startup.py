"""What every netmgr command does first: register options, parse the command line and the
config files, set up logging (-d/--debug for DEBUG), and warn about options it does not know.

oslo.config ignores an option no code registered, so a misspelt one (``[OVS] local_ipp``)
would silently leave its default in force. Each option of the files named by --config-file
and --config-dir (``*.conf`` there, as oslo.config reads them) is compared with the options
registered in its group, deprecated names included; a group nothing registered is skipped:
Neutron's files carry many groups netmgr has no use for."""

import glob
import logging
import os
import sys

from netmgr import conf as nm_conf
from netmgr.conf import opts as nm_opts

LOG = logging.getLogger(__name__)
LOG_FORMAT = '%(asctime)s %(process)d %(levelname)s %(name)s %(message)s'
DEFAULT_GROUP = 'DEFAULT'


def load_config(conf, argv=None):
    nm_conf.register_all(conf)
    conf.register_cli_opt(nm_conf.cfg.BoolOpt('debug', short='d', default=False,
                                              help='Log at DEBUG level.'))
    conf(sys.argv[1:] if argv is None else argv, project='netmgr')
    logging.basicConfig(level=logging.DEBUG if conf.debug else logging.INFO,
                        format=LOG_FORMAT)
    warn_unknown_options(conf)
    return conf


def config_files(conf):
    """The files ``conf`` was loaded from, in oslo.config's order."""
    files = list(conf.config_file or ())
    for directory in conf.config_dirs:
        files += sorted(glob.glob(os.path.join(os.path.expanduser(directory), '*.conf')))
    return files


def _group_key(name):
    """oslo.config's section names: DEFAULT as is, others in any case."""
    return name if name == DEFAULT_GROUP else name.lower()


def known_options(conf):
    """{group key: option names} of every registered group, with deprecated names."""
    known = {DEFAULT_GROUP: set()}
    for name in conf:
        if isinstance(conf[name], nm_conf.cfg.ConfigOpts.GroupAttr):
            known.setdefault(_group_key(name), set()).update(conf[name])
        else:
            known[DEFAULT_GROUP].add(name)
    for group, opts in nm_opts.list_opts():
        for opt in opts:
            if opt.dest not in known.get(_group_key(group), ()):
                continue        # not registered by this command
            for old in opt.deprecated_opts:
                key = _group_key(old.group or group)
                if key in known and old.name:
                    known[key].add(old.name.replace('-', '_'))
    return known


def unknown_options(conf, files=None):
    """[(file, group, option)] set in ``files`` (default: those ``conf`` read) in a
    registered group that has no such option."""
    known = known_options(conf)
    found = []
    for path in config_files(conf) if files is None else files:
        sections = {}
        try:
            nm_conf.cfg.ConfigParser(path, sections).parse()
        except (OSError, nm_conf.cfg.ParseError):
            continue        # oslo.config has said what is wrong with it
        for group, options in sections.items():
            names = known.get(_group_key(group))
            if names is None:
                continue
            found += [(path, group, option) for option in options
                      if option.replace('-', '_') not in names]
    return found


def warn_unknown_options(conf):
    for path, group, option in unknown_options(conf):
        LOG.warning('unknown option [%s] %s in %s: ignored', group, option, path)
