//===- MitigatePlugin.cpp - the mitigate Clang plugin ---------------------===//
//
// A thin adapter between Clang's AST and the C core. After clang has
// compiled a translation unit, the plugin reads the mitigate annotations
// and the call edges of every function, checks the annotations against
// the threat model, reports problems as compiler diagnostics, and writes
// the unit's facts through the core (facts.h).
//
// It runs after the main action, so code generation is untouched and the
// object file is the same with or without it.
//
//===----------------------------------------------------------------------===//

#include "PluginVersion.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Basic/Version.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "facts.h"
#include "model.h"

using namespace clang;

namespace
{

struct Options {
    std::string ModelPath;
    std::string FactsDir;
    bool Werror = false;
};

// Frees a C string from the core when it goes out of scope.
struct CString {
    char *Str;
    explicit CString(char *S) : Str(S)
    {
    }
    ~CString()
    {
        free(Str);
    }
    CString(const CString &) = delete;
    CString &operator=(const CString &) = delete;
};

// The absolute path of the file a location expands in.
std::string absoluteFile(const SourceManager &SM, SourceLocation Loc)
{
    SourceLocation Exp = SM.getExpansionLoc(Loc);
    if (const FileEntry *FE = SM.getFileEntryForID(SM.getFileID(Exp))) {
        StringRef Real = FE->tryGetRealPathName();
        if (!Real.empty())
            return Real.str();
    }
    llvm::SmallString<256> Path(SM.getFilename(Exp));
    if (Path.empty())
        return "<unknown>";
    llvm::sys::fs::make_absolute(Path);
    llvm::sys::path::remove_dots(Path, true);
    return std::string(Path.str());
}

// Whether an annotate attribute is one of mitigate.h's. (StringRef's
// prefix test changed name between LLVM 14 and 19.)
bool isMitigateAnnotation(const AnnotateAttr *A)
{
    return A->getAnnotation().substr(0, 9) == "mitigate:";
}

// Walks one function body and records its call edges.
class BodyVisitor : public RecursiveASTVisitor<BodyVisitor>
{
  public:
    BodyVisitor(class Collector &C, facts_function *Fn) : C(C), Fn(Fn)
    {
    }
    bool VisitCallExpr(CallExpr *E);
    bool VisitDeclRefExpr(DeclRefExpr *E);

  private:
    class Collector &C;
    facts_function *Fn;
    llvm::DenseSet<const Expr *> Callees;
};

// Walks the declarations of a translation unit; bodies are left to
// BodyVisitor, so statements are visited once.
class Collector : public RecursiveASTVisitor<Collector>
{
  public:
    Collector(ASTContext &Ctx, DiagnosticsEngine &Diags, const Options &Opts,
              const model *Model, facts_tu *TU)
        : Ctx(Ctx), SM(Ctx.getSourceManager()), Diags(Diags), Opts(Opts),
          Model(Model), TU(TU)
    {
    }

    bool TraverseStmt(Stmt *)
    {
        return true;
    }
    bool VisitFunctionDecl(FunctionDecl *FD);
    bool VisitDecl(Decl *D);

    std::string keyFor(const FunctionDecl *FD);
    facts_loc locFor(SourceRange R);
    void release(facts_loc &Loc)
    {
        free(Loc.file);
    }

  private:
    std::string fileOf(SourceLocation Loc)
    {
        return absoluteFile(SM, Loc);
    }
    void readAnnotations(const Decl *D, facts_function *Fn);
    void checkAnnotation(const facts_annotation &Ann, SourceLocation Loc);
    void report(SourceLocation Loc, const char *Rule, const std::string &Msg);

    ASTContext &Ctx;
    SourceManager &SM;
    DiagnosticsEngine &Diags;
    const Options &Opts;
    const model *Model;
    facts_tu *TU;
    llvm::DenseSet<SourceLocation> Reported;
};

// A file position for a source range, as the macro invocation that
// produced it appears in the file; the end column is exclusive.
facts_loc Collector::locFor(SourceRange R)
{
    facts_loc Loc = {};
    CharSourceRange Exp = SM.getExpansionRange(R);
    SourceLocation B = Exp.getBegin(), E = Exp.getEnd();
    std::string File = fileOf(B);

    Loc.file = xstrdup(File.c_str());
    Loc.pos.line = SM.getExpansionLineNumber(B);
    Loc.pos.column = SM.getExpansionColumnNumber(B);
    if (Exp.isTokenRange())
        E = Lexer::getLocForEndOfToken(E, 0, SM, Ctx.getLangOpts());
    if (E.isValid() && SM.getFileID(E) == SM.getFileID(B)) {
        Loc.pos.end_line = SM.getExpansionLineNumber(E);
        Loc.pos.end_column = SM.getExpansionColumnNumber(E);
    } else {
        Loc.pos.end_line = Loc.pos.line;
        Loc.pos.end_column = Loc.pos.column;
    }
    return Loc;
}

// The facts key of a function: static functions are keyed by the file
// that defines them, so two units' static helpers never merge.
std::string Collector::keyFor(const FunctionDecl *FD)
{
    const FunctionDecl *Where = FD->getDefinition();
    if (!Where)
        Where = FD->getCanonicalDecl();
    bool IsStatic = !FD->isExternallyVisible();
    std::string Name = FD->getQualifiedNameAsString();
    std::string File = IsStatic ? fileOf(Where->getLocation()) : "";
    CString Key(facts_function_key(Name.c_str(), IsStatic, File.c_str()));
    return Key.Str;
}

void Collector::report(SourceLocation Loc, const char *Rule,
                       const std::string &Msg)
{
    DiagnosticsEngine::Level Level =
            Opts.Werror ? DiagnosticsEngine::Error : DiagnosticsEngine::Warning;
    unsigned ID = Diags.getCustomDiagID(Level, "%0 [%1]");
    Diags.Report(SM.getExpansionLoc(Loc), ID) << Msg << Rule;
}

// Warns when an annotation names a mitigation the model lacks.
void Collector::checkAnnotation(const facts_annotation &Ann, SourceLocation Loc)
{
    if (!Model || Ann.kind == ANNOTATION_ALLOW)
        return;
    if (model_find_mitigation(Model, Ann.id))
        return;
    std::string Msg = std::string("unknown mitigation '") + Ann.id + "'";
    if (const char *Near = model_suggest_mitigation(Model, Ann.id))
        Msg += std::string(" (did you mean '") + Near + "'?)";
    else
        Msg += std::string(" (not in ") + Model->path + ")";
    report(Loc, "MT0001", Msg);
}

// Records the mitigate annotations written on declaration D of Fn.
// Inherited copies on later redeclarations are skipped, so each
// annotation counts once.
void Collector::readAnnotations(const Decl *D, facts_function *Fn)
{
    for (const auto *A : D->specific_attrs<AnnotateAttr>()) {
        if (A->isInherited())
            continue;
        std::string Text = A->getAnnotation().str();
        facts_annotation Ann;
        const char *Reason = nullptr;
        int Got = facts_parse_annotation(Text.c_str(), &Ann, &Reason);
        if (Got == 0)
            continue;
        facts_loc Loc = locFor(A->getRange());
        bool First =
                Reported.insert(SM.getExpansionLoc(A->getLocation())).second;
        if (Got < 0) {
            facts_add_malformed(TU, Text.c_str(), Reason, &Loc);
            if (First)
                report(A->getLocation(), "MT0008",
                       std::string("malformed mitigate annotation: ") + Reason);
        } else {
            if (First)
                checkAnnotation(Ann, A->getLocation());
            facts_add_annotation(Fn, &Ann, &Loc);
        }
        release(Loc);
    }
}

bool Collector::VisitFunctionDecl(FunctionDecl *FD)
{
    if (FD->isInvalidDecl() || FD->isDependentContext())
        return true;
    bool Defined = FD->doesThisDeclarationHaveABody();
    bool Annotated = false;
    for (const auto *A : FD->specific_attrs<AnnotateAttr>())
        Annotated |= !A->isInherited() && isMitigateAnnotation(A);
    if (!Defined && !Annotated)
        return true;

    const FunctionDecl *Where = FD->getDefinition();
    if (!Where)
        Where = FD->getCanonicalDecl();
    bool IsStatic = !FD->isExternallyVisible();
    std::string Name = FD->getQualifiedNameAsString();
    std::string KeyFile = fileOf(Where->getLocation());
    facts_loc Loc = locFor(FD->getLocation());
    facts_function *Fn = facts_add_function(TU, Name.c_str(), IsStatic,
                                            KeyFile.c_str(), Defined, &Loc);
    release(Loc);
    readAnnotations(FD, Fn);
    if (Defined)
        BodyVisitor(*this, Fn).TraverseStmt(FD->getBody());
    return true;
}

// Annotations on anything but a function are malformed.
bool Collector::VisitDecl(Decl *D)
{
    if (isa<FunctionDecl>(D))
        return true;
    for (const auto *A : D->specific_attrs<AnnotateAttr>()) {
        if (A->isInherited() || !isMitigateAnnotation(A))
            continue;
        std::string Text = A->getAnnotation().str();
        const char *Reason = "mitigate annotations apply to functions only";
        facts_loc Loc = locFor(A->getRange());
        facts_add_malformed(TU, Text.c_str(), Reason, &Loc);
        release(Loc);
        if (Reported.insert(SM.getExpansionLoc(A->getLocation())).second)
            report(A->getLocation(), "MT0008",
                   std::string("malformed mitigate annotation: ") + Reason);
    }
    return true;
}

bool BodyVisitor::VisitCallExpr(CallExpr *E)
{
    if (E->getDirectCallee()) {
        Callees.insert(E->getCallee()->IgnoreParenImpCasts());
        return true;
    }
    if (!isa<CXXPseudoDestructorExpr>(E->getCallee()))
        Fn->indirect_calls++;
    return true;
}

// Every reference to a function is an edge: a direct call, or taking
// its address (which may be called later through a pointer).
bool BodyVisitor::VisitDeclRefExpr(DeclRefExpr *E)
{
    const auto *FD = dyn_cast<FunctionDecl>(E->getDecl());
    if (!FD)
        return true;
    std::string Key = C.keyFor(FD);
    facts_loc Loc = C.locFor(E->getSourceRange());
    facts_add_call(Fn, Key.c_str(), &Loc, !Callees.count(E));
    C.release(Loc);
    return true;
}

class MitigateConsumer : public ASTConsumer
{
  public:
    // Options are copied: clang destroys the plugin action once it has
    // created the consumer.
    MitigateConsumer(CompilerInstance &CI, Options Opts)
        : CI(CI), Opts(std::move(Opts))
    {
    }
    void HandleTranslationUnit(ASTContext &Ctx) override;

  private:
    void error(const std::string &Msg);
    CompilerInstance &CI;
    const Options Opts;
};

void MitigateConsumer::error(const std::string &Msg)
{
    DiagnosticsEngine &D = CI.getDiagnostics();
    D.Report(D.getCustomDiagID(DiagnosticsEngine::Error, "mitigate: %0"))
            << Msg;
}

// Reports each core error as one compiler error.
static void reportErrors(MitigateConsumer &C, const mt_errors &Errs,
                         void (MitigateConsumer::*Fn)(const std::string &))
{
    for (size_t I = 0; I < Errs.count; I++) {
        const mt_error &E = Errs.items[I];
        std::string Msg;
        if (E.file) {
            Msg += E.file;
            if (E.pos.line)
                Msg += ":" + std::to_string(E.pos.line) + ":" +
                       std::to_string(E.pos.column);
            Msg += ": ";
        }
        Msg += E.message;
        (C.*Fn)(Msg);
    }
}

void MitigateConsumer::HandleTranslationUnit(ASTContext &Ctx)
{
    SourceManager &SM = Ctx.getSourceManager();
    mt_errors Errs = MT_ERRORS_INIT;
    model *Model = nullptr;

    if (!Opts.ModelPath.empty()) {
        Model = model_load(Opts.ModelPath.c_str(), &Errs);
        if (!Model) {
            reportErrors(*this, Errs, &MitigateConsumer::error);
            mt_errors_release(&Errs);
            return;
        }
    }

    FileID Main = SM.getMainFileID();
    std::string MainFile = absoluteFile(SM, SM.getLocForStartOfFile(Main));
    facts_tu *TU = facts_tu_new("plugin", getClangFullVersion().c_str(),
                                MainFile.c_str());
    StringRef Buffer = SM.getBufferData(Main);
    sha256_hex(Buffer.data(), Buffer.size(), TU->main_sha256);

    Collector(Ctx, CI.getDiagnostics(), Opts, Model, TU)
            .TraverseDecl(Ctx.getTranslationUnitDecl());

    if (!Opts.FactsDir.empty() &&
        facts_write(TU, Opts.FactsDir.c_str(), &Errs) < 0)
        reportErrors(*this, Errs, &MitigateConsumer::error);
    mt_errors_release(&Errs);
    facts_tu_free(TU);
    model_free(Model);
}

class MitigateAction : public PluginASTAction
{
  protected:
    std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                   StringRef) override
    {
        return std::make_unique<MitigateConsumer>(CI, Opts);
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
        if (A.consume_front("model=") && !A.empty())
            Opts.ModelPath = A.str();
        else if (A.consume_front("facts=") && !A.empty())
            Opts.FactsDir = A.str();
        else if (A == "werror")
            Opts.Werror = true;
        else {
            D.Report(D.getCustomDiagID(DiagnosticsEngine::Error,
                                       "mitigate: unknown plugin argument '%0' "
                                       "(expected model=FILE, "
                                       "facts=DIR or werror)"))
                    << Arg;
            OK = false;
        }
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
        static FrontendPluginRegistry::Add<MitigateAction> Add(
                "mitigate",
                "trace mitigations of the threat model to code and tests");
    }
} TheRegistrar;

} // namespace
