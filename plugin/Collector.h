//===- Collector.h - walks one translation unit for mitigate ---*- C++ -*-===//
//
// The Collector walks the AST of a translation unit once clang has
// compiled it. It records each function's mitigate annotations, call
// edges and banned-pattern matches into the unit's facts (facts.h),
// asking the C core's matcher (match.h) what each use matches, and
// reports problems as compiler diagnostics.
//
//===----------------------------------------------------------------------===//

#ifndef MITIGATE_PLUGIN_COLLECTOR_H
#define MITIGATE_PLUGIN_COLLECTOR_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

#include <string>
#include <vector>

#include "facts.h"
#include "model.h"
#include "policy.h"

namespace mitigate
{

struct Options {
    std::string ModelPath;
    std::string PolicyPath;
    std::string FactsDir;
    bool Werror = false;
};

// The policy's verdict on one callee, worked out once per declaration.
struct CalleeRules {
    std::string Name; // the library function it stands for
    bool IsComparison = false;
    int Call = -1;
    int Format = -1, FormatArg = 0;
    int Scanf = -1, ScanfArg = 0;
    int CopySize = -1, CopySizeArg = 0;
    int Compare = -1;
};

class Collector
{
  public:
    Collector(clang::ASTContext &Ctx, clang::DiagnosticsEngine &Diags,
              const Options &Opts, const model *Model, const policy *Policy,
              facts_tu *TU);

    // Walks the whole unit and records its facts.
    void run();

    // Used by the visitors in Collector.cpp.
    void visitFunction(clang::FunctionDecl *FD);
    void visitOtherDecl(const clang::Decl *D);
    void visitNestedDecl(clang::Decl *D);
    void visitLocalVar(size_t Fn, const clang::VarDecl *VD);
    void visitCall(size_t Fn, const clang::CallExpr *E);
    void visitComparison(size_t Fn, const clang::CallExpr *E,
                         const CalleeRules &R);
    void visitReference(size_t Fn, const clang::Expr *E,
                        const clang::ValueDecl *D, bool Called);
    void visitAssignment(size_t Fn, const clang::BinaryOperator *E);
    void visitMacroUse(size_t Fn, clang::SourceLocation Loc);

  private:
    const char *fileOf(clang::SourceLocation Loc);
    facts_loc startOf(clang::SourceLocation L);
    facts_loc locFor(clang::SourceRange R);
    llvm::StringRef macroNameOf(clang::SourceLocation L);
    int macroRule(llvm::StringRef Name);
    const std::string &keyFor(const clang::FunctionDecl *FD);
    std::string macroOf(clang::SourceLocation Loc, llvm::StringRef Callee);
    const CalleeRules &rulesFor(const clang::FunctionDecl *FD);
    void readAnnotations(const clang::Decl *D, size_t Fn);
    // Function Fn of the facts, by index: adding functions moves them.
    facts_function *fn(size_t Fn)
    {
        return &TU->functions[Fn];
    }
    void checkAnnotation(const facts_annotation &Ann, clang::SourceLocation L);
    bool firstReport(clang::SourceLocation Loc, llvm::StringRef Text);
    void report(clang::SourceLocation Loc, const char *Rule,
                const std::string &Msg, bool Remark = false);
    void addMatch(size_t Fn, int Rule, const std::string &What,
                  clang::SourceRange Where, llvm::StringRef Callee = "");
    void reportMatches();

    clang::ASTContext &Ctx;
    clang::SourceManager &SM;
    clang::DiagnosticsEngine &Diags;
    const Options &Opts;
    const model *Model;
    const policy *Policy;
    facts_tu *TU;

    llvm::StringSet<> Reported;
    llvm::DenseMap<const clang::FunctionDecl *, CalleeRules> Callees;
    llvm::DenseMap<const clang::FunctionDecl *, std::string> Keys;
    llvm::StringSet<> FileNames; // owns the paths fileOf() returns
    llvm::DenseMap<clang::FileID, const char *> Files;
    clang::FileID LastFile;
    const char *LastPath = nullptr;
    // The call edges recorded: a function index and a callee.
    llvm::DenseSet<std::pair<size_t, const clang::FunctionDecl *>> Edges;
    llvm::DenseSet<clang::SourceLocation> Expansions; // macro uses seen
    llvm::StringMap<int> MacroRules; // by macro name, see macroRule()
    bool HasMacroRules = false;

    // Matches kept to report once every annotation has been read.
    struct Pending {
        std::string FnKey;
        int Rule;
        std::string Description;
        clang::SourceLocation Loc;
    };
    std::vector<Pending> Matches;
};

} // namespace mitigate

#endif
