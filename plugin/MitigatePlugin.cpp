//===- MitigatePlugin.cpp - the mitigate Clang plugin ---------------------===//
//
// A thin adapter between Clang and the C core. After clang has compiled a
// translation unit, the plugin reads the mitigate annotations, call edges
// and banned-pattern matches of every function (Collector.cpp), reports
// problems as compiler diagnostics, and writes the unit's facts through
// the core (facts.h).
//
// It runs after the main action, so code generation is untouched and the
// object file is the same with or without it.
//
//===----------------------------------------------------------------------===//

#include "Collector.h"
#include "PluginVersion.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/Version.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/Support/ErrorHandling.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <mitigate.h>

#include "match.h"
#include "untrusted.h"

using namespace clang;
using namespace mitigate;

namespace
{

class MitigateConsumer : public ASTConsumer
{
  public:
    // Options are copied: clang destroys the plugin action once it has
    // created the consumer.
    MitigateConsumer(CompilerInstance &CI, Options Opts)
        : CI(CI), Opts(std::move(Opts))
    {
    }
    ~MitigateConsumer() override
    {
        model_free(Model);
        policy_free(Policy);
    }

    // Loads the model and the policy; false after reporting errors.
    bool load();
    // Has the preprocessor tell where banned macros are used, when the
    // policy bans any.
    void watchMacros();
    void HandleTranslationUnit(ASTContext &Ctx) override;

  private:
    void error(const std::string &Msg);
    void reportErrors(const mt_errors &Errs);
    void internalError(const char *What, const mt_errors &Errs);

    CompilerInstance &CI;
    const Options Opts;
    model *Model = nullptr;
    policy *Policy = nullptr;
    BannedMacroUses *Uses = nullptr; // owned by the preprocessor
};

void MitigateConsumer::error(const std::string &Msg)
{
    DiagnosticsEngine &D = CI.getDiagnostics();
    D.Report(D.getCustomDiagID(DiagnosticsEngine::Error, "mitigate: %0"))
            << Msg;
}

// Reports each core error as one compiler error, with the control
// characters of text quoted from an input shown as \xNN.
void MitigateConsumer::reportErrors(const mt_errors &Errs)
{
    for (size_t I = 0; I < Errs.count; I++) {
        const mt_error &E = Errs.items[I];
        strbuf Msg = STRBUF_INIT;
        if (E.file) {
            sb_add_printable(&Msg, E.file);
            if (E.pos.line)
                sb_addf(&Msg, ":%u:%u", E.pos.line, E.pos.column);
            sb_adds(&Msg, ": ");
        }
        sb_add_printable(&Msg, E.message);
        error(sb_str(&Msg));
        sb_release(&Msg);
    }
}

// Reports a failure of the plugin's own work, such as facts it cannot
// write, as one warning (an error under werror): the unit itself
// compiled, so its object file is still written.
MITIGATES("M-PLUGIN-CONTAINED")
void MitigateConsumer::internalError(const char *What, const mt_errors &Errs)
{
    strbuf Msg = STRBUF_INIT;
    sb_adds(&Msg, What);
    for (size_t I = 0; I < Errs.count; I++) {
        const mt_error &E = Errs.items[I];
        sb_adds(&Msg, I ? "; " : ": ");
        if (E.file) {
            sb_add_printable(&Msg, E.file);
            sb_adds(&Msg, ": ");
        }
        sb_add_printable(&Msg, E.message);
    }
    DiagnosticsEngine &D = CI.getDiagnostics();
    auto Level =
            Opts.Werror ? DiagnosticsEngine::Error : DiagnosticsEngine::Warning;
    D.Report(D.getCustomDiagID(Level, "mitigate: %0")) << sb_str(&Msg);
    sb_release(&Msg);
}

bool MitigateConsumer::load()
{
    mt_errors Errs = MT_ERRORS_INIT;
    if (!Opts.ModelPath.empty())
        Model = model_load(Opts.ModelPath.c_str(), &Errs);
    if (Opts.PolicyPath.empty())
        Policy = policy_default();
    else
        Policy = policy_load(Opts.PolicyPath.c_str(), &Errs);
    bool OK = Errs.count == 0;
    reportErrors(Errs);
    mt_errors_release(&Errs);
    return OK;
}

void MitigateConsumer::watchMacros()
{
    if (match_rule_of_kind(Policy, MATCH_MACRO) < 0)
        return;
    auto Watch =
            std::make_unique<BannedMacroUses>(CI.getSourceManager(), Policy);
    Uses = Watch.get();
    CI.getPreprocessor().addPPCallbacks(std::move(Watch));
}

void MitigateConsumer::HandleTranslationUnit(ASTContext &Ctx)
{
    SourceManager &SM = Ctx.getSourceManager();
    mt_errors Errs = MT_ERRORS_INIT;
    FileID Main = SM.getMainFileID();
    const FileEntry *FE = SM.getFileEntryForID(Main);
    std::string MainFile = FE ? FE->tryGetRealPathName().str() : "";
    if (MainFile.empty())
        MainFile = SM.getFileEntryForID(Main) ? "<unknown>" : "<stdin>";

    facts_tu *TU = facts_tu_new("plugin", getClangFullVersion().c_str(),
                                MainFile.c_str());
    StringRef Buffer = SM.getBufferData(Main);
    xxh128_hex(Buffer.data(), Buffer.size(), TU->main_hash);
    memcpy(TU->policy_hash, Policy->match_hash, sizeof(TU->policy_hash));

    // Facts of a unit that did not compile would describe a broken AST.
    bool Compiled = !CI.getDiagnostics().hasErrorOccurred();
    // Macros used in a precompiled header or a module were expanded
    // before the watch began; with either, every statement is judged.
    BannedMacroUses *Watched = Ctx.getExternalSource() ? nullptr : Uses;
    Collector(Ctx, CI.getDiagnostics(), Opts, Model, Policy, TU, Watched).run();

    if (Compiled && !Opts.FactsDir.empty() &&
        facts_write(TU, Opts.FactsDir.c_str(), &Errs) < 0)
        internalError("cannot write the facts of this unit, so 'mitigate "
                      "check' will not see it until it is compiled again",
                      Errs);
    mt_errors_release(&Errs);
    facts_tu_free(TU);
}

class MitigateAction : public PluginASTAction
{
  protected:
    std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                   StringRef) override
    {
        auto Consumer = std::make_unique<MitigateConsumer>(CI, Opts);
        if (!Consumer->load())
            return std::make_unique<ASTConsumer>();
        Consumer->watchMacros();
        return Consumer;
    }

    bool ParseArgs(const CompilerInstance &CI,
                   const std::vector<std::string> &Args) override;

    ActionType getActionType() override
    {
        return AddAfterMainAction;
    }

  private:
    Options Opts;
};

// Reads -fplugin-arg-mitigate-KEY[=VALUE]. Clang drops a plugin whose
// ParseArgs returns false without a word, so every refusal is also
// reported as an error.
bool MitigateAction::ParseArgs(const CompilerInstance &CI,
                               const std::vector<std::string> &Args)
{
    DiagnosticsEngine &D = CI.getDiagnostics();
    bool OK = true;
    for (const std::string &Arg : Args) {
        StringRef A(Arg);
        std::string *Into = nullptr;
        if (A == "werror") {
            Opts.Werror = true;
            continue;
        }
        if (A.consume_front("model="))
            Into = &Opts.ModelPath;
        else if (A.consume_front("policy="))
            Into = &Opts.PolicyPath;
        else if (A.consume_front("facts="))
            Into = &Opts.FactsDir;
        if (Into && !A.empty()) {
            *Into = A.str();
            continue;
        }
        std::string Msg =
                Into ? "plugin argument '" + Arg + "' needs a value"
                     : "unknown plugin argument '" + Arg +
                                "' (expected model=FILE, policy=FILE, "
                                "facts=DIR or werror)";
        D.Report(D.getCustomDiagID(DiagnosticsEngine::Error, "mitigate: %0"))
                << Msg;
        OK = false;
    }
    return OK;
}

// The major version of the clang that loaded the plugin.
int hostMajorVersion()
{
    std::string V = getClangFullVersion();
    size_t At = V.find("clang version ");
    if (At == std::string::npos)
        return -1;
    return std::atoi(V.c_str() + At + sizeof("clang version ") - 1);
}

// The core cannot go on without memory, and nothing can unwind through
// it: end the compile the way clang ends on its own fatal errors, with a
// diagnostic and without a crash report, instead of exiting under it.
//
// Limitation: clang 14 running cc1 in the driver's process (its
// default) prints a stack dump after any fatal error, this one too.
extern "C" {
MITIGATES("M-PLUGIN-CONTAINED")
static void outOfMemory(size_t Size)
{
    llvm::report_fatal_error("mitigate: out of memory allocating " +
                                     llvm::Twine(Size) + " bytes",
                             /*GenCrashDiag=*/false);
}
}

// Registers the plugin only in the clang it was built for: a plugin
// built against another major version would crash the compiler.
struct Registrar {
    Registrar()
    {
        int Host = hostMajorVersion();
        if (Host != MITIGATE_CLANG_MAJOR) {
            std::fprintf(stderr,
                         "mitigate: error: this plugin was built for clang %d "
                         "and cannot run in clang %d; it is not loaded, and no "
                         "facts are written (build mitigate against LLVM %d)\n",
                         MITIGATE_CLANG_MAJOR, Host, Host);
            return;
        }
        mt_set_out_of_memory_handler(outOfMemory);
        static FrontendPluginRegistry::Add<MitigateAction> Add(
                "mitigate",
                "trace mitigations of the threat model to code and tests");
    }
} TheRegistrar;

} // namespace
