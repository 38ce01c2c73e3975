//===- Collector.h - walks one translation unit for mitigate ---*- C++ -*-===//
//
// The Collector walks the AST of a translation unit once clang has
// compiled it. It tells the C core (collect.h) what it meets: functions,
// annotations, uses of functions and variables, calls, local variables,
// assignments and statements that macros produced. The core decides what
// each means for the unit's facts, the same way for `mitigate scan`; the
// Collector answers its questions about the AST and reports problems as
// compiler diagnostics.
//
//===----------------------------------------------------------------------===//

#ifndef MITIGATE_PLUGIN_COLLECTOR_H
#define MITIGATE_PLUGIN_COLLECTOR_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Basic/Version.h"
#include "clang/Lex/PPCallbacks.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "collect.h"
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

// Where the macros the policy bans were used while clang preprocessed the
// unit: for each expansion, even one inside another macro, the file
// position of the outermost macro use it came from. A statement whose
// first token comes from a macro use with no banned macro in it cannot
// be a use of one, so the Collector passes it over without asking where
// its tokens were written; that question is the costly part.
class BannedMacroUses : public clang::PPCallbacks
{
  public:
    BannedMacroUses(const clang::SourceManager &SM, const policy *Policy)
        : SM(SM), Policy(Policy)
    {
    }

    void MacroExpands(const clang::Token &Name,
                      const clang::MacroDefinition &MD, clang::SourceRange R,
                      const clang::MacroArgs *Args) override;

    // Whether a banned macro was used inside the file range R.
    bool within(clang::SourceRange R);

    // Clang defines this hook out of line, with a signature that differs
    // between LLVM versions. Left to the base class, the plugin's vtable
    // would need clang's symbol to load at all, and a plugin loaded into
    // the clang of another LLVM could not say that it was built for
    // another (see PluginVersion.h).
#if CLANG_VERSION_MAJOR >= 16
    void HasInclude(clang::SourceLocation, llvm::StringRef, bool,
                    clang::OptionalFileEntryRef,
                    clang::SrcMgr::CharacteristicKind) override
    {
    }
#else
    void HasInclude(clang::SourceLocation, llvm::StringRef, bool,
                    llvm::Optional<clang::FileEntryRef>,
                    clang::SrcMgr::CharacteristicKind) override
    {
    }
#endif

  private:
    const clang::SourceManager &SM;
    const policy *Policy;
    llvm::DenseMap<const clang::IdentifierInfo *, bool> Banned;
    std::vector<unsigned> Uses; // raw file locations, sorted on demand
    bool Sorted = true;
};

class Collector
{
  public:
    // Uses is where banned macros were used, or null to judge every
    // statement a macro produced.
    Collector(clang::ASTContext &Ctx, clang::DiagnosticsEngine &Diags,
              const Options &Opts, const model *Model, const policy *Policy,
              facts_tu *TU, BannedMacroUses *Uses);
    ~Collector();
    Collector(const Collector &) = delete;
    Collector &operator=(const Collector &) = delete;

    // Walks the whole unit and records its facts.
    void run();

    // Used by the visitors in Collector.cpp.
    void visitFunction(clang::FunctionDecl *FD);
    void visitOtherDecl(clang::Decl *D);
    void visitNestedDecl(clang::Decl *D);
    void visitLocalVar(size_t Fn, clang::VarDecl *VD);
    void visitCall(size_t Fn, clang::CallExpr *E);
    void visitReference(size_t Fn, const clang::Expr *E,
                        const clang::ValueDecl *D, bool Called);
    void visitAssignment(size_t Fn, clang::BinaryOperator *E);
    void visitStatement(size_t Fn, clang::Stmt *S);

    // What the core (collect.h) is handed as a site.
    struct Site {
        clang::SourceRange Range;
        const clang::CallExpr *Call = nullptr; // for a call's arguments
    };

    // The questions the core asks about sites.
    void locate(const clang::SourceRange &R, facts_loc *Loc);
    void origin(const clang::SourceRange &R, collect_origin *O);
    void spelled(const clang::SourceRange &R, collect_point *At);
    void argument(const clang::CallExpr *E, unsigned I, collect_arg *Arg);
    void matched(size_t Fn, int Rule, const char *Text,
                 const clang::SourceRange &R);

    // A source file the core may read, by its handle in collect_point.
    struct File {
        std::string Path;
        llvm::StringRef Text;
    };

  private:
    const File *fileFor(clang::FileID FID);
    collect_point pointOf(clang::SourceLocation L);
    std::string fileOf(clang::SourceLocation Loc);
    const std::string &keyFor(const clang::FunctionDecl *FD);
    // The strings a collect_function points into.
    struct FunctionNames {
        std::vector<std::string> Scopes;
        std::vector<const char *> Ptrs;
        std::string Name, KeyFile;
    };
    void describe(const clang::FunctionDecl *FD, FunctionNames &Names,
                  collect_function &F);
    void readAnnotations(const clang::Decl *D, size_t Fn);
    void checkAnnotation(const char *Text, clang::SourceLocation L);
    bool firstReport(clang::SourceLocation Loc, llvm::StringRef Text);
    void report(clang::SourceLocation Loc, const char *Rule,
                const std::string &Msg, bool Remark = false);
    void reportMatches();

    clang::ASTContext &Ctx;
    clang::SourceManager &SM;
    clang::DiagnosticsEngine &Diags;
    const Options &Opts;
    const model *Model;
    const policy *Policy;
    facts_tu *TU;
    BannedMacroUses *Uses;

    collector *Core;
    llvm::StringSet<> Reported;
    llvm::DenseMap<const clang::FunctionDecl *, std::string> Keys;
    llvm::DenseMap<clang::FileID, std::unique_ptr<File>> Files;
    std::deque<std::string> ArgText; // strings handed out by argument()
    // First tokens of statements a macro produced, already looked at.
    llvm::DenseSet<clang::SourceLocation> MacroStatements;

    // Matches kept to report once every annotation has been read.
    struct Pending {
        size_t Fn;
        int Rule;
        std::string Description;
        clang::SourceLocation Loc;
    };
    std::vector<Pending> Matches;
};

} // namespace mitigate

#endif
