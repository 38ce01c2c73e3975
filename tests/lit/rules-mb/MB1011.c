// MB1011 (CommandExecution) holds mitigation code to running no command
// through the shell or the search path: system, popen, execl, execlp and
// execvp each warn in a function that carries MITIGATES, called
// directly, through a macro (named at the expansion) or with their
// address taken. execv and execve with an absolute path and
// posix_spawn stay quiet, the same calls outside mitigation code are
// left to `mitigate check`, and MITIGATE_ALLOW("MB1011", ...) silences
// the rule. -verify fails on any diagnostic not expected below.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify -fsyntax-only %s

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <mitigate.h>

#define RUN_SHELL(c) system(c)

/* Fires: every listed function, a macro, an address. */
MITIGATES("M-CRYPTO")
void crypto_rotate_keys(const char *cmd, char *const argv[])
{
    (void)system(cmd); // expected-warning {{call to system in mitigation M-CRYPTO code [MB1011]}}
    pclose(popen(cmd, "r")); // expected-warning {{call to popen in mitigation M-CRYPTO code [MB1011]}}
    (void)execl("/sbin/keyrotate", "keyrotate", (char *)NULL); // expected-warning {{call to execl in mitigation M-CRYPTO code [MB1011]}}
    (void)execlp("keyrotate", "keyrotate", (char *)NULL); // expected-warning {{call to execlp in mitigation M-CRYPTO code [MB1011]}}
    (void)execvp("keyrotate", argv); // expected-warning {{call to execvp in mitigation M-CRYPTO code [MB1011]}}
    (void)RUN_SHELL(cmd); // expected-warning {{call to system (through macro RUN_SHELL) in mitigation M-CRYPTO code [MB1011]}}
    int (*run)(const char *) = system; // expected-warning {{address of system taken in mitigation M-CRYPTO code [MB1011]}}
    (void)run;
}

/* Must not fire: absolute paths, fixed arguments, no shell. */
extern char **environ;

MITIGATES("M-CRYPTO")
int crypto_rotate_keys_direct(char *const argv[])
{
    pid_t pid;

    if (posix_spawn(&pid, "/sbin/keyrotate", NULL, NULL, argv, environ))
        return -1;
    (void)execv("/sbin/keyrotate", argv);
    return execve("/sbin/keyrotate", argv, environ);
}

/* Must not fire: the same calls outside mitigation code. */
void helper_run(const char *cmd, char *const argv[])
{
    (void)system(cmd);
    pclose(popen(cmd, "r"));
    (void)execl("/sbin/keyrotate", "keyrotate", (char *)NULL);
    (void)execlp("keyrotate", "keyrotate", (char *)NULL);
    (void)execvp("keyrotate", argv);
    (void)RUN_SHELL(cmd);
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-CRYPTO")
MITIGATE_ALLOW("MB1011", "factory-mode only; cmd is a constant table entry")
void crypto_rotate_allowed(const char *cmd, char *const argv[])
{
    (void)system(cmd);
    pclose(popen(cmd, "r"));
    (void)execl("/sbin/keyrotate", "keyrotate", (char *)NULL);
    (void)execlp("keyrotate", "keyrotate", (char *)NULL);
    (void)execvp("keyrotate", argv);
    (void)RUN_SHELL(cmd);
}
