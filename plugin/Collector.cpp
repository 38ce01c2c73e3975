//===- Collector.cpp - walks one translation unit for mitigate -----------===//
//
// Declarations are visited once by DeclVisitor; each function body once
// by BodyVisitor, which records call edges and asks the matcher about
// every call, reference, local variable and assignment in it.
//
//===----------------------------------------------------------------------===//

#include "Collector.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cstdlib>

#include "match.h"

using namespace clang;

namespace mitigate
{

namespace
{

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

bool isMitigateAnnotation(const AnnotateAttr *A)
{
    // StringRef's prefix test changed its name between LLVM 14 and 19.
    return A->getAnnotation().substr(0, 9) == "mitigate:";
}

// The name an expression refers to: a variable, a field, or what an
// address or element is taken of. Empty when it names nothing.
std::string nameOf(const Expr *E)
{
    E = E->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E))
        return nameOf(U->getSubExpr());
    if (const auto *A = dyn_cast<ArraySubscriptExpr>(E))
        return nameOf(A->getBase());
    if (const auto *D = dyn_cast<DeclRefExpr>(E))
        return D->getDecl()->getNameAsString();
    if (const auto *M = dyn_cast<MemberExpr>(E))
        return M->getMemberDecl()->getNameAsString();
    return "";
}

// A string literal with at least one character, seen through casts.
const StringLiteral *nonEmptyLiteral(const Expr *E)
{
    const auto *SL = dyn_cast_or_null<StringLiteral>(
            E ? E->IgnoreParenImpCasts() : nullptr);
    return SL && SL->getLength() > 0 ? SL : nullptr;
}

// Whether a format argument is fixed text: a literal, __func__, or a
// choice between literals.
bool isLiteralFormat(const Expr *E)
{
    E = E->IgnoreParenImpCasts();
    if (isa<StringLiteral>(E) || isa<PredefinedExpr>(E))
        return true;
    if (const auto *C = dyn_cast<ConditionalOperator>(E))
        return isLiteralFormat(C->getTrueExpr()) &&
               isLiteralFormat(C->getFalseExpr());
    return false;
}

// Whether a copy size is fixed: a constant, or a sizeof.
bool isBoundedSize(const Expr *E, const ASTContext &Ctx)
{
    if (E->isValueDependent() || E->isIntegerConstantExpr(Ctx))
        return true;
    const auto *U =
            dyn_cast<UnaryExprOrTypeTraitExpr>(E->IgnoreParenImpCasts());
    return U && U->getKind() == UETT_SizeOf;
}

// Whether an argument is the empty string "".
bool isEmptyLiteral(const Expr *E)
{
    const auto *SL = dyn_cast<StringLiteral>(E->IgnoreParenImpCasts());
    return SL && SL->getLength() == 0;
}

// Walks one function body, statement by statement, in source order.
// A plain walk over each statement's children costs a fraction of a
// RecursiveASTVisitor, which would also walk every type written in the
// body; types hold no calls. Declarations inside the body other than
// variables (local classes and their methods) go to a DeclVisitor.
class BodyWalker
{
  public:
    BodyWalker(Collector &C, size_t Fn) : C(C), Fn(Fn)
    {
    }

    void walk(const Stmt *S);

  private:
    void visit(const Stmt *S);
    void visitDecls(const DeclStmt *DS);

    Collector &C;
    size_t Fn;
    // The callee expression of the direct call walked last. A call's
    // callee is walked before anything else in the call, so a reference
    // equal to it is the call itself rather than its address taken.
    const Expr *Callee = nullptr;
};

void BodyWalker::walk(const Stmt *S)
{
    if (!S)
        return;
    if (const auto *ILE = dyn_cast<InitListExpr>(S))
        if (const InitListExpr *Written = ILE->getSyntacticForm())
            S = Written;
    visit(S);

    // A range for: the written parts only, as the implicit begin and end
    // calls are not in the source.
    if (const auto *For = dyn_cast<CXXForRangeStmt>(S)) {
        walk(For->getInit());
        walk(For->getLoopVarStmt());
        walk(For->getRangeInit());
        walk(For->getBody());
        return;
    }
    if (const auto *Block = dyn_cast<BlockExpr>(S)) {
        walk(Block->getBody());
        return;
    }
    for (const Stmt *Child : S->children())
        walk(Child);
}

void BodyWalker::visit(const Stmt *S)
{
    SourceLocation Begin = S->getBeginLoc();
    if (Begin.isMacroID())
        C.visitMacroUse(Fn, Begin);

    if (const auto *Call = dyn_cast<CallExpr>(S)) {
        if (Call->getDirectCallee())
            Callee = Call->getCallee()->IgnoreParenImpCasts();
        C.visitCall(Fn, Call);
    } else if (const auto *Ref = dyn_cast<DeclRefExpr>(S)) {
        C.visitReference(Fn, Ref, Ref->getDecl(), Ref == Callee);
    } else if (const auto *Member = dyn_cast<MemberExpr>(S)) {
        C.visitReference(Fn, Member, Member->getMemberDecl(), Member == Callee);
    } else if (const auto *Construct = dyn_cast<CXXConstructExpr>(S)) {
        C.visitReference(Fn, Construct, Construct->getConstructor(), true);
    } else if (const auto *Op = dyn_cast<BinaryOperator>(S)) {
        if (Op->getOpcode() == BO_Assign)
            C.visitAssignment(Fn, Op);
    } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
        visitDecls(DS);
    }
}

// Local variables are checked here, and their initialisers are walked
// as the statement's children; other local declarations are visited
// as declarations.
void BodyWalker::visitDecls(const DeclStmt *DS)
{
    for (Decl *D : DS->decls()) {
        if (auto *VD = dyn_cast<VarDecl>(D)) {
            C.visitLocalVar(Fn, VD);
            C.visitOtherDecl(VD);
        } else {
            C.visitNestedDecl(D);
        }
    }
}

// Visits declarations only; bodies are left to BodyWalker.
class DeclVisitor : public RecursiveASTVisitor<DeclVisitor>
{
  public:
    explicit DeclVisitor(Collector &C) : C(C)
    {
    }

    bool shouldVisitTemplateInstantiations() const
    {
        return true;
    }
    bool TraverseStmt(Stmt *)
    {
        return true;
    }
    // Types hold no function bodies worth a walk.
    bool TraverseTypeLoc(TypeLoc)
    {
        return true;
    }

    // Parameters are reached through the function's type, which this
    // visitor skips, so they are visited here.
    bool VisitFunctionDecl(FunctionDecl *FD)
    {
        for (ParmVarDecl *P : FD->parameters())
            C.visitOtherDecl(P);
        C.visitFunction(FD);
        return true;
    }

    bool VisitDecl(Decl *D)
    {
        if (!isa<FunctionDecl>(D))
            C.visitOtherDecl(D);
        return true;
    }

  private:
    Collector &C;
};

} // namespace

Collector::Collector(ASTContext &Ctx, DiagnosticsEngine &Diags,
                     const Options &Opts, const model *Model,
                     const policy *Policy, facts_tu *TU)
    : Ctx(Ctx), SM(Ctx.getSourceManager()), Diags(Diags), Opts(Opts),
      Model(Model), Policy(Policy), TU(TU)
{
}

void Collector::visitNestedDecl(Decl *D)
{
    DeclVisitor(*this).TraverseDecl(D);
}

void Collector::run()
{
    HasMacroRules = match_rule_of_kind(Policy, MATCH_MACRO) >= 0;
    DeclVisitor(*this).TraverseDecl(Ctx.getTranslationUnitDecl());
    reportMatches();
}

// The absolute path of the file a location expands in, cached per file.
// The string lives as long as the Collector.
const char *Collector::fileOf(SourceLocation Loc)
{
    FileID FID = SM.getFileID(SM.getExpansionLoc(Loc));
    if (FID == LastFile)
        return LastPath;
    auto It = Files.find(FID);
    if (It != Files.end()) {
        LastFile = FID;
        return LastPath = It->second;
    }

    std::string Path;
    if (const FileEntry *FE = SM.getFileEntryForID(FID))
        Path = FE->tryGetRealPathName().str();
    if (Path.empty()) {
        llvm::SmallString<256> P(SM.getFilename(SM.getExpansionLoc(Loc)));
        if (!P.empty()) {
            llvm::sys::fs::make_absolute(P);
            llvm::sys::path::remove_dots(P, true);
        }
        Path = P.empty() ? "<unknown>" : std::string(P.str());
    }
    const char *Kept = FileNames.insert(Path).first->getKeyData();
    Files[FID] = Kept;
    LastFile = FID;
    return LastPath = Kept;
}

// Where a location expands in its file, with an empty range. The file
// name belongs to the Collector; the facts functions copy it.
facts_loc Collector::startOf(SourceLocation L)
{
    facts_loc Loc = {};
    SourceLocation Exp = SM.getExpansionLoc(L);
    std::pair<FileID, unsigned> At = SM.getDecomposedLoc(Exp);

    Loc.file = const_cast<char *>(fileOf(Exp));
    Loc.pos.line = SM.getLineNumber(At.first, At.second);
    Loc.pos.column = SM.getColumnNumber(At.first, At.second);
    Loc.pos.end_line = Loc.pos.line;
    Loc.pos.end_column = Loc.pos.column;
    return Loc;
}

// A file position for a source range, as the macro invocation that
// produced it appears in the file; the end column is exclusive.
facts_loc Collector::locFor(SourceRange R)
{
    CharSourceRange Exp = SM.getExpansionRange(R);
    SourceLocation B = Exp.getBegin(), E = Exp.getEnd();
    facts_loc Loc = startOf(B);

    if (Exp.isTokenRange())
        E = Lexer::getLocForEndOfToken(E, 0, SM, Ctx.getLangOpts());
    if (E.isValid() && SM.getFileID(E) == SM.getFileID(B)) {
        std::pair<FileID, unsigned> End = SM.getDecomposedLoc(E);
        Loc.pos.end_line = SM.getLineNumber(End.first, End.second);
        Loc.pos.end_column = SM.getColumnNumber(End.first, End.second);
    }
    return Loc;
}

static bool isIdentifierChar(char C)
{
    return (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z') ||
           (C >= '0' && C <= '9') || C == '_' || C == '$';
}

// The name of the macro whose expansion produced L, which must not be in
// a macro argument. The name is read from the source where it is
// spelled; the lexer measures it only when the plain reading could be
// wrong (a line splice or a non-ASCII character right after it).
StringRef Collector::macroNameOf(SourceLocation L)
{
    SourceLocation Name =
            SM.getSpellingLoc(SM.getImmediateExpansionRange(L).getBegin());
    bool Invalid = false;
    const char *Begin = SM.getCharacterData(Name, &Invalid);
    if (Invalid)
        return "";
    const char *End = Begin;
    while (isIdentifierChar(*End))
        End++;
    if (*End == '\\' || (unsigned char)*End >= 0x80)
        return Lexer::getImmediateMacroName(L, SM, Ctx.getLangOpts());
    return StringRef(Begin, End - Begin);
}

// The facts key of a function: static functions are keyed by the file
// that defines them, so two units' static helpers never merge.
const std::string &Collector::keyFor(const FunctionDecl *FD)
{
    FD = FD->getCanonicalDecl();
    auto It = Keys.find(FD);
    if (It != Keys.end())
        return It->second;

    const FunctionDecl *Where = FD->getDefinition();
    if (!Where)
        Where = FD->getCanonicalDecl();
    bool IsStatic = !FD->isExternallyVisible();
    std::string Name = FD->getQualifiedNameAsString();
    const char *File = IsStatic ? fileOf(Where->getLocation()) : "";
    CString Key(facts_function_key(Name.c_str(), IsStatic, File));
    return Keys[FD] = Key.Str;
}

// The outermost macro a use was written through; empty when the use is
// spelled in the file itself (a macro argument counts as spelled there),
// or when the macro only renames the function, as fortified C libraries
// do with a macro named like the function.
std::string Collector::macroOf(SourceLocation L, StringRef Callee)
{
    std::string Name;
    while (L.isMacroID()) {
        if (SM.isMacroArgExpansion(L)) {
            L = SM.getImmediateSpellingLoc(L);
            continue;
        }
        Name = macroNameOf(L).str();
        L = SM.getImmediateMacroCallerLoc(L);
    }
    return Name == Callee ? "" : Name;
}

const CalleeRules &Collector::rulesFor(const FunctionDecl *FD)
{
    FD = FD->getCanonicalDecl();
    auto It = Callees.find(FD);
    if (It != Callees.end())
        return It->second;

    CalleeRules R;
    char Base[128];
    int Shift = 0;
    const char *N = match_base_name(FD->getNameAsString().c_str(), Base,
                                    sizeof(Base), &Shift);
    R.Name = N;
    R.IsComparison = match_is_comparison(N);
    R.Call = match_call(Policy, N);
    R.Format = match_argument_rule(Policy, MATCH_FORMAT, N, &R.FormatArg);
    R.FormatArg += Shift;
    R.Scanf = match_argument_rule(Policy, MATCH_SCANF, N, &R.ScanfArg);
    R.CopySize =
            match_argument_rule(Policy, MATCH_COPY_SIZE, N, &R.CopySizeArg);
    R.Compare = match_argument_rule(Policy, MATCH_SECRET_COMPARE, N, nullptr);
    return Callees[FD] = R;
}

bool Collector::firstReport(SourceLocation Loc, StringRef Text)
{
    PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(Loc));
    std::string Key = std::string(fileOf(Loc)) + ":" +
                      std::to_string(P.isValid() ? P.getLine() : 0) + ":" +
                      std::to_string(P.isValid() ? P.getColumn() : 0) + ":" +
                      Text.str();
    return Reported.insert(Key).second;
}

void Collector::report(SourceLocation Loc, const char *Rule,
                       const std::string &Msg, bool Remark)
{
    int Index = policy_find(Policy, Rule);
    if (Index >= 0 && !policy_rule_at(Policy, (size_t)Index)->enabled)
        return;
    // Note-level rules stay remarks under werror, as clang's -Werror
    // leaves remarks alone.
    DiagnosticsEngine::Level Level = DiagnosticsEngine::Warning;
    if (Remark)
        Level = DiagnosticsEngine::Remark;
    else if (Opts.Werror)
        Level = DiagnosticsEngine::Error;
    unsigned ID = Diags.getCustomDiagID(Level, "%0 [%1]");
    Diags.Report(SM.getExpansionLoc(Loc), ID) << Msg << Rule;
}

// Warns when an annotation names a mitigation the model lacks.
void Collector::checkAnnotation(const facts_annotation &Ann, SourceLocation L)
{
    if (!Model || Ann.kind == ANNOTATION_ALLOW ||
        model_find_mitigation(Model, Ann.id))
        return;
    std::string Msg = std::string("unknown mitigation '") + Ann.id + "'";
    if (const char *Near = model_suggest_mitigation(Model, Ann.id))
        Msg += std::string(" (did you mean '") + Near + "'?)";
    else
        Msg += std::string(" (not in ") + Model->path + ")";
    report(L, "MT0001", Msg);
}

// Records the mitigate annotations written on declaration D of function
// Fn. Copies inherited by later redeclarations are skipped, so each
// annotation counts once.
void Collector::readAnnotations(const Decl *D, size_t Fn)
{
    for (const auto *A : D->specific_attrs<AnnotateAttr>()) {
        if (A->isInherited() || !isMitigateAnnotation(A))
            continue;
        std::string Text = A->getAnnotation().str();
        facts_annotation Ann;
        const char *Reason = nullptr;
        int Got = facts_parse_annotation(Text.c_str(), &Ann, &Reason);
        facts_loc Loc = locFor(A->getRange());
        bool First = firstReport(A->getLocation(), Text);
        if (Got < 0) {
            facts_add_malformed(TU, Text.c_str(), Reason, &Loc);
            if (First)
                report(A->getLocation(), "MT0008",
                       std::string("malformed mitigate annotation: ") + Reason);
        } else {
            if (First)
                checkAnnotation(Ann, A->getLocation());
            facts_add_annotation(fn(Fn), &Ann, &Loc);
        }
    }
}

void Collector::visitFunction(FunctionDecl *FD)
{
    if (FD->isInvalidDecl() || FD->isDependentContext())
        return;
    bool Defined = FD->doesThisDeclarationHaveABody();
    bool Annotated = false;
    for (const auto *A : FD->specific_attrs<AnnotateAttr>())
        Annotated |= !A->isInherited() && isMitigateAnnotation(A);
    if (!Annotated && (!Defined || SM.isInSystemHeader(FD->getLocation())))
        return;

    const FunctionDecl *Where = FD->getDefinition();
    if (!Where)
        Where = FD->getCanonicalDecl();
    std::string Name = FD->getQualifiedNameAsString();
    const char *KeyFile = fileOf(Where->getLocation());
    facts_loc Loc = locFor(FD->getLocation());
    facts_function *F =
            facts_add_function(TU, Name.c_str(), !FD->isExternallyVisible(),
                               KeyFile, Defined, &Loc);
    size_t Fn = F - TU->functions;
    readAnnotations(FD, Fn);
    if (!Defined)
        return;
    BodyWalker(*this, Fn).walk(FD->getBody());
}

// Annotations on anything but a function are malformed.
void Collector::visitOtherDecl(const Decl *D)
{
    for (const auto *A : D->specific_attrs<AnnotateAttr>()) {
        if (A->isInherited() || !isMitigateAnnotation(A))
            continue;
        std::string Text = A->getAnnotation().str();
        const char *Reason = "mitigate annotations apply to functions only";
        facts_loc Loc = locFor(A->getRange());
        facts_add_malformed(TU, Text.c_str(), Reason, &Loc);
        if (firstReport(A->getLocation(), Text))
            report(A->getLocation(), "MT0008",
                   std::string("malformed mitigate annotation: ") + Reason);
    }
}

void Collector::addMatch(size_t Fn, int Rule, const std::string &What,
                         SourceRange Where, StringRef Callee)
{
    const policy_rule *R = policy_rule_at(Policy, (size_t)Rule);
    std::string Macro = macroOf(Where.getBegin(), Callee);
    facts_loc Loc = locFor(Where);
    facts_add_match(fn(Fn), R->desc.id, What.c_str(),
                    Macro.empty() ? nullptr : Macro.c_str(), &Loc);
    CString Text(match_describe(R->desc.match, What.c_str(),
                                Macro.empty() ? nullptr : Macro.c_str()));
    Matches.push_back({fn(Fn)->key, Rule, Text.Str, Where.getBegin()});
}

void Collector::visitLocalVar(size_t Fn, const VarDecl *VD)
{
    if (VD->getType()->isVariableArrayType()) {
        int Rule = match_rule_of_kind(Policy, MATCH_STACK);
        if (Rule >= 0)
            addMatch(Fn, Rule, "'" + VD->getNameAsString() + "'",
                     VD->getSourceRange());
    }
    if (nonEmptyLiteral(VD->getInit()) &&
        name_is_secret(VD->getNameAsString().c_str())) {
        int Rule = match_rule_of_kind(Policy, MATCH_SECRET_LITERAL);
        if (Rule >= 0)
            addMatch(Fn, Rule, "'" + VD->getNameAsString() + "'",
                     VD->getLocation());
    }
}

void Collector::visitAssignment(size_t Fn, const BinaryOperator *E)
{
    std::string Name = nameOf(E->getLHS());
    if (Name.empty() || !nonEmptyLiteral(E->getRHS()) ||
        !name_is_secret(Name.c_str()))
        return;
    int Rule = match_rule_of_kind(Policy, MATCH_SECRET_LITERAL);
    if (Rule >= 0)
        addMatch(Fn, Rule, "'" + Name + "'", E->getSourceRange());
}

// Checks the arguments of a direct call against the rules that read
// them: formats, scanf conversions, copy sizes and secret comparisons.
void Collector::visitCall(size_t Fn, const CallExpr *E)
{
    const FunctionDecl *FD = E->getDirectCallee();
    if (!FD) {
        // Limitation: a call through a function pointer is counted, not
        // followed, so the reach stops there.
        if (!isa<CXXPseudoDestructorExpr>(E->getCallee()->IgnoreParens()))
            fn(Fn)->indirect_calls++;
        return;
    }
    if (!FD->getIdentifier())
        return;
    const CalleeRules &R = rulesFor(FD);
    const std::string &Name = R.Name;
    unsigned N = E->getNumArgs();

    if (R.Format >= 0 && (unsigned)R.FormatArg < N &&
        !isLiteralFormat(E->getArg(R.FormatArg)))
        addMatch(Fn, R.Format, Name, E->getSourceRange(), Name);
    if (R.Scanf >= 0 && (unsigned)R.ScanfArg < N) {
        const auto *SL = dyn_cast<StringLiteral>(
                E->getArg(R.ScanfArg)->IgnoreParenImpCasts());
        if (SL && SL->getCharByteWidth() == 1 &&
            scanf_format_unbounded(SL->getString().str().c_str()))
            addMatch(Fn, R.Scanf, Name, E->getSourceRange(), Name);
    }
    if (R.CopySize >= 0 && (unsigned)R.CopySizeArg < N &&
        !isBoundedSize(E->getArg(R.CopySizeArg), Ctx))
        addMatch(Fn, R.CopySize, Name, E->getSourceRange(), Name);
    if (R.IsComparison && N >= 2)
        visitComparison(Fn, E, R);
}

// A comparison with a secret-named argument: not constant time
// (MB1016) unless against "", and a hard-coded secret (MB1017) when the
// other side is a literal.
void Collector::visitComparison(size_t Fn, const CallExpr *E,
                                const CalleeRules &R)
{
    for (unsigned I = 0; I < 2; I++) {
        std::string Arg = nameOf(E->getArg(I));
        const Expr *Other = E->getArg(1 - I);
        if (Arg.empty() || !name_is_secret(Arg.c_str()))
            continue;
        if (R.Compare >= 0 && !isEmptyLiteral(Other))
            addMatch(Fn, R.Compare, R.Name + "(" + Arg + ")",
                     E->getSourceRange(), R.Name);
        int Lit = match_rule_of_kind(Policy, MATCH_SECRET_LITERAL);
        if (Lit >= 0 && nonEmptyLiteral(Other))
            addMatch(Fn, Lit, "'" + Arg + "'", E->getSourceRange(), R.Name);
        return;
    }
}

// A reference to a function is a call edge, and a use the call rules
// judge; a reference to a secret-named variable that a literal
// initialises is a hard-coded secret in use.
void Collector::visitReference(size_t Fn, const Expr *E, const ValueDecl *D,
                               bool Called)
{
    if (const auto *VD = dyn_cast<VarDecl>(D)) {
        if (VD->hasGlobalStorage() && nonEmptyLiteral(VD->getInit()) &&
            name_is_secret(VD->getNameAsString().c_str())) {
            int Rule = match_rule_of_kind(Policy, MATCH_SECRET_LITERAL);
            if (Rule >= 0)
                addMatch(Fn, Rule, "'" + VD->getNameAsString() + "'",
                         E->getSourceRange());
        }
        return;
    }
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD)
        return;
    // One edge per callee: the first reference is the one recorded.
    if (Edges.insert({Fn, FD->getCanonicalDecl()}).second) {
        facts_loc Loc = startOf(E->getBeginLoc());
        facts_add_call(fn(Fn), keyFor(FD).c_str(), &Loc, !Called);
    }
    if (!FD->getIdentifier())
        return;
    const CalleeRules &R = rulesFor(FD);
    if (R.Call >= 0)
        addMatch(Fn, R.Call, Called ? R.Name : "&" + R.Name,
                 E->getSourceRange(), R.Name);
}

// A statement written through a macro: when the policy bans that macro,
// or one it expands, it is a use of it. Each expansion is looked at
// once, however many statements it produced.
// The rule that bans a macro name, or -1; asked once per name.
int Collector::macroRule(StringRef Name)
{
    auto It = MacroRules.try_emplace(Name, -1);
    if (It.second)
        It.first->second = match_macro(Policy, Name.str().c_str());
    return It.first->second;
}

void Collector::visitMacroUse(size_t Fn, SourceLocation Loc)
{
    if (!HasMacroRules || !Loc.isMacroID())
        return;
    SourceLocation Exp = SM.getExpansionLoc(Loc);
    if (!Expansions.insert(Exp).second || SM.isInSystemHeader(Exp))
        return;

    int Rule = -1;
    std::string Banned, Outer;
    for (SourceLocation L = Loc; L.isMacroID();) {
        if (SM.isMacroArgExpansion(L)) {
            L = SM.getImmediateSpellingLoc(L);
            continue;
        }
        StringRef Name = macroNameOf(L);
        int R = macroRule(Name);
        if (R >= 0) {
            Rule = R;
            Banned = Name.str();
        }
        Outer = Name.str();
        L = SM.getImmediateMacroCallerLoc(L);
    }
    if (Rule < 0)
        return;
    const policy_rule *R = policy_rule_at(Policy, (size_t)Rule);
    const char *Through = Outer == Banned ? nullptr : Outer.c_str();
    facts_loc FLoc = startOf(Exp);
    FLoc.pos.end_column += Outer.size();
    facts_add_match(fn(Fn), R->desc.id, Banned.c_str(), Through, &FLoc);
    CString Text(match_describe(R->desc.match, Banned.c_str(), Through));
    Matches.push_back({fn(Fn)->key, Rule, Text.Str, Exp});
}

// The controls of the mitigations a function implements, as bits.
static unsigned controlsOf(const facts_function *F, const model *Model,
                           std::string &Ids)
{
    unsigned Controls = 0;
    for (size_t I = 0; I < F->annotation_count; I++) {
        const facts_annotation &A = F->annotations[I];
        if (A.kind != ANNOTATION_MITIGATES)
            continue;
        Ids += (Ids.empty() ? "" : ", ") + std::string(A.id);
        const model_mitigation *M =
                Model ? model_find_mitigation(Model, A.id) : nullptr;
        if (M)
            Controls |= 1u << M->control;
    }
    return Controls;
}

static bool allows(const facts_function *F, const char *Rule)
{
    for (size_t I = 0; I < F->annotation_count; I++)
        if (F->annotations[I].kind == ANNOTATION_ALLOW &&
            strcmp(F->annotations[I].id, Rule) == 0)
            return true;
    return false;
}

// Reports the matches inside functions that carry MITIGATES. Matches
// elsewhere are judged by `mitigate check`, which sees the whole call
// graph.
void Collector::reportMatches()
{
    llvm::StringMap<size_t> ByKey;
    for (size_t I = 0; I < TU->function_count; I++)
        ByKey[TU->functions[I].key] = I;

    for (const Pending &P : Matches) {
        const facts_function *F = fn(ByKey[P.FnKey]);
        const policy_rule *R = policy_rule_at(Policy, (size_t)P.Rule);
        std::string Ids;
        unsigned Controls = controlsOf(F, Model, Ids);
        if (Ids.empty() || allows(F, R->desc.id) ||
            !(R->scopes & SCOPE_MITIGATION))
            continue;
        if (R->desc.match == MATCH_SECRET_COMPARE &&
            !(Controls &
              ((1u << CONTROL_AUTHENTICATION) | (1u << CONTROL_CRYPTOGRAPHY))))
            continue;
        if (!firstReport(P.Loc, R->desc.id))
            continue;
        report(P.Loc, R->desc.id,
               P.Description + " in mitigation " + Ids + " code",
               R->level == LEVEL_NOTE);
    }
}

} // namespace mitigate
