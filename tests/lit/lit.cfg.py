# lit configuration for mitigate's plugin and command tests.
#
# Substitutions:
#   %mitigate        the mitigate command
#   %clang           the clang the plugin is built for
#   %plugin          the plugin module
#   %clang_plugin    %clang -fplugin=%plugin with mitigate.h on the path
#   %validate-sarif  the SARIF validator (Multitool + JSON schema)
#   %expect-exit N   run a command, fail unless it exits with N
#   %fixtures        tests/fixtures
#   %annotations     the folder holding mitigate.h
#   %other_plugin    mitigate.so built for another clang major (feature
#                    other-plugin; scripts/test always provides it)
#   %faults          the module to preload that makes allocations or
#                    writes of the core fail (tests/tools/faults.c;
#                    feature faults, absent under the sanitizers)
import os

import lit.formats

config.name = "mitigate"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".test", ".cpp"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mitigate_obj_root, "tests", "lit")

src = config.mitigate_src_root
annotations = os.path.join(src, "annotations")
config.substitutions.append(("%mitigate", config.mitigate_bin))
config.substitutions.append(
    ("%clang_plugin",
     "%s -fplugin=%s -I%s" % (config.clang, config.mitigate_plugin,
                              annotations)))
config.substitutions.append(("%clang", config.clang))
config.substitutions.append(("%plugin", config.mitigate_plugin))
config.substitutions.append(
    ("%validate-sarif",
     "%s %s" % (config.node,
                os.path.join(src, "tests", "tools", "validate-sarif"))))
config.substitutions.append(
    ("%expect-exit",
     "python3 %s" % os.path.join(src, "tests", "tools", "expect-exit")))
config.substitutions.append(("%fixtures", os.path.join(src, "tests",
                                                       "fixtures")))
config.substitutions.append(("%annotations", annotations))

config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
# Expiry and timestamps depend on the date: fix it for every test.
config.environment["SOURCE_DATE_EPOCH"] = "1767225600"  # 2026-01-01
config.available_features.add("clang-%s" % config.llvm_version_major)
if config.other_plugin:
    config.available_features.add("other-plugin")
    config.substitutions.append(("%other_plugin", config.other_plugin))
if config.faults:
    config.available_features.add("faults")
    config.substitutions.append(("%faults", config.faults))
