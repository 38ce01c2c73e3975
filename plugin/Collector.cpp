//===- Collector.cpp - walks one translation unit for mitigate -----------===//
//
// Declarations are visited once by DeclVisitor; each function body once
// by BodyWalker, which records call edges and asks the matcher about
// every call, reference, local variable and assignment in it.
//
//===----------------------------------------------------------------------===//

#include "Collector.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"
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

// A declaration's name as a C string. Names are almost always plain
// identifiers, read straight from the identifier table; printing a name
// (getNameAsString) sets up a printing policy each time, which would
// cost more than the rest of a reference's handling.
const char *plainName(const NamedDecl *D, std::string &Buf)
{
    if (const IdentifierInfo *II = D->getIdentifier())
        return II->getNameStart();
    Buf = D->getNameAsString();
    return Buf.c_str();
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

    void walk(Stmt *S);

  private:
    void visit(Stmt *S);

    Collector &C;
    size_t Fn;
    // The callee expression of the direct call walked last. A call's
    // callee is walked before anything else in the call, so a reference
    // equal to it is the call itself rather than its address taken.
    const Expr *Callee = nullptr;
};

void BodyWalker::walk(Stmt *S)
{
    if (!S)
        return;
    if (auto *ILE = dyn_cast<InitListExpr>(S))
        if (InitListExpr *Written = ILE->getSyntacticForm())
            S = Written;
    visit(S);

    // A range for: the written parts only, as the implicit begin and end
    // calls are not in the source.
    if (auto *For = dyn_cast<CXXForRangeStmt>(S)) {
        walk(For->getInit());
        walk(For->getLoopVarStmt());
        walk(For->getRangeInit());
        walk(For->getBody());
        return;
    }
    if (auto *Block = dyn_cast<BlockExpr>(S)) {
        walk(Block->getBody());
        return;
    }
    for (Stmt *Child : S->children())
        walk(Child);
}

void BodyWalker::visit(Stmt *S)
{
    C.visitStatement(Fn, S);
    if (auto *Call = dyn_cast<CallExpr>(S)) {
        if (Call->getDirectCallee())
            Callee = Call->getCallee()->IgnoreParenImpCasts();
        C.visitCall(Fn, Call);
    } else if (auto *Ref = dyn_cast<DeclRefExpr>(S)) {
        C.visitReference(Fn, Ref, Ref->getDecl(), Ref == Callee);
    } else if (auto *Member = dyn_cast<MemberExpr>(S)) {
        C.visitReference(Fn, Member, Member->getMemberDecl(), Member == Callee);
    } else if (auto *Construct = dyn_cast<CXXConstructExpr>(S)) {
        C.visitReference(Fn, Construct, Construct->getConstructor(), true);
    } else if (auto *Op = dyn_cast<BinaryOperator>(S)) {
        if (Op->getOpcode() == BO_Assign)
            C.visitAssignment(Fn, Op);
    } else if (auto *DS = dyn_cast<DeclStmt>(S)) {
        // Local variables are checked here, and their initialisers are
        // walked as the statement's children; other local declarations
        // are visited as declarations.
        for (Decl *D : DS->decls()) {
            if (auto *VD = dyn_cast<VarDecl>(D)) {
                C.visitLocalVar(Fn, VD);
                C.visitOtherDecl(VD);
            } else {
                C.visitNestedDecl(D);
            }
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

    bool VisitFunctionDecl(FunctionDecl *FD)
    {
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

// The core's questions, passed on to the Collector.

const SourceRange &rangeOf(const void *S)
{
    return static_cast<const Collector::Site *>(S)->Range;
}

void opLocate(void *FE, const void *Site, facts_loc *Loc)
{
    static_cast<Collector *>(FE)->locate(rangeOf(Site), Loc);
}

void opOrigin(void *FE, const void *Site, collect_origin *O)
{
    static_cast<Collector *>(FE)->origin(rangeOf(Site), O);
}

void opSpelled(void *FE, const void *Site, collect_point *At)
{
    static_cast<Collector *>(FE)->spelled(rangeOf(Site), At);
}

void opPosition(void *, collect_point *At)
{
    // The Collector's points come with their lines.
    (void)At;
}

const char *opPath(void *, const void *File)
{
    return static_cast<const Collector::File *>(File)->Path.c_str();
}

const char *opContents(void *, const void *File, size_t *Len)
{
    llvm::StringRef Text = static_cast<const Collector::File *>(File)->Text;
    *Len = Text.size();
    return Text.data();
}

void opArgument(void *FE, const void *Call, unsigned I, collect_arg *Arg)
{
    static_cast<Collector *>(FE)->argument(
            static_cast<const Collector::Site *>(Call)->Call, I, Arg);
}

void opMatched(void *FE, size_t Fn, int Rule, const char *Text,
               const void *Site)
{
    static_cast<Collector *>(FE)->matched(Fn, Rule, Text, rangeOf(Site));
}

const collect_ops Ops = {opLocate, opOrigin,   opSpelled,  opPosition,
                         opPath,   opContents, opArgument, opMatched};

} // namespace

Collector::Collector(ASTContext &Ctx, DiagnosticsEngine &Diags,
                     const Options &Opts, const model *Model,
                     const policy *Policy, facts_tu *TU, BannedMacroUses *Uses)
    : Ctx(Ctx), SM(Ctx.getSourceManager()), Diags(Diags), Opts(Opts),
      Model(Model), Policy(Policy), TU(TU), Uses(Uses),
      Core(collector_new(Policy, TU, &Ops, this))
{
}

Collector::~Collector()
{
    collector_free(Core);
}

void Collector::visitNestedDecl(Decl *D)
{
    DeclVisitor(*this).TraverseDecl(D);
}

void Collector::run()
{
    DeclVisitor(*this).TraverseDecl(Ctx.getTranslationUnitDecl());
    reportMatches();
}

// The file behind a FileID, with its absolute path, cached.
const Collector::File *Collector::fileFor(FileID FID)
{
    std::unique_ptr<File> &F = Files[FID];
    if (F)
        return F.get();
    F = std::make_unique<File>();
    F->Text = SM.getBufferData(FID);
    if (const FileEntry *FE = SM.getFileEntryForID(FID))
        F->Path = FE->tryGetRealPathName().str();
    if (F->Path.empty()) {
        llvm::SmallString<256> P(
                SM.getBufferName(SM.getLocForStartOfFile(FID)));
        if (!P.empty()) {
            llvm::sys::fs::make_absolute(P);
            llvm::sys::path::remove_dots(P, true);
        }
        F->Path = P.empty() ? "<unknown>" : std::string(P.str());
    }
    return F.get();
}

// A file location as the core sees it; no file for clang's scratch
// space, where pasted tokens are spelled.
collect_point Collector::pointOf(SourceLocation L)
{
    collect_point P = {};
    FileID FID = SM.getFileID(L);
    if (FID.isInvalid() || !SM.getFileEntryForID(FID))
        return P;
    P.file = fileFor(FID);
    P.offset = SM.getFileOffset(L);
    P.line = SM.getLineNumber(FID, P.offset);
    P.column = SM.getColumnNumber(FID, P.offset);
    return P;
}

// The absolute path of the file a location expands in.
std::string Collector::fileOf(SourceLocation Loc)
{
    return fileFor(SM.getFileID(SM.getExpansionLoc(Loc)))->Path;
}

// A file position for a source range, as the macro invocation that
// produced it appears in the file; the end column is exclusive.
void Collector::locate(const SourceRange &R, facts_loc *Loc)
{
    CharSourceRange Exp = SM.getExpansionRange(R);
    SourceLocation B = Exp.getBegin(), E = Exp.getEnd();

    Loc->file = xstrdup(fileOf(B).c_str());
    Loc->pos.line = SM.getExpansionLineNumber(B);
    Loc->pos.column = SM.getExpansionColumnNumber(B);
    if (Exp.isTokenRange())
        E = Lexer::getLocForEndOfToken(E, 0, SM, Ctx.getLangOpts());
    if (E.isValid() && SM.getFileID(E) == SM.getFileID(B)) {
        Loc->pos.end_line = SM.getExpansionLineNumber(E);
        Loc->pos.end_column = SM.getExpansionColumnNumber(E);
    } else {
        Loc->pos.end_line = Loc->pos.line;
        Loc->pos.end_column = Loc->pos.column;
    }
}

void Collector::origin(const SourceRange &R, collect_origin *O)
{
    SourceLocation B = R.getBegin();
    SourceLocation Written = SM.getFileLoc(B);
    O->expansion = pointOf(SM.getExpansionLoc(B));
    O->written = pointOf(Written);
    O->from_macro = SM.getSpellingLoc(B) != Written;
}

void Collector::spelled(const SourceRange &R, collect_point *At)
{
    *At = pointOf(SM.getSpellingLoc(R.getBegin()));
}

void Collector::argument(const CallExpr *E, unsigned I, collect_arg *Arg)
{
    const Expr *A = E->getArg(I);
    const auto *SL = dyn_cast<StringLiteral>(A->IgnoreParenImpCasts());

    ArgText.push_back(nameOf(A));
    Arg->name = ArgText.back().c_str();
    Arg->literal_length = SL ? (long)SL->getLength() : -1;
    if (SL && SL->getCharByteWidth() == 1) {
        ArgText.push_back(SL->getString().str());
        Arg->narrow = ArgText.back().c_str();
    }
    Arg->is_literal_format = isLiteralFormat(A);
    Arg->is_bounded_size = isBoundedSize(A, Ctx);
}

void Collector::matched(size_t Fn, int Rule, const char *Text,
                        const SourceRange &R)
{
    Matches.push_back({Fn, Rule, Text, R.getBegin()});
}

// The key of a function, cached per declaration.
const std::string &Collector::keyFor(const FunctionDecl *FD)
{
    FD = FD->getCanonicalDecl();
    auto It = Keys.find(FD);
    if (It != Keys.end())
        return It->second;

    FunctionNames Names;
    collect_function F = {};
    describe(FD, Names, F);
    char *Key = collect_function_key(&F);
    std::string &Slot = Keys[FD];
    Slot = Key;
    free(Key);
    return Slot;
}

// A function as the core sees it; F points into Names.
void Collector::describe(const FunctionDecl *FD, FunctionNames &Names,
                         collect_function &F)
{
    for (const DeclContext *DC = FD->getDeclContext();
         DC && !isa<TranslationUnitDecl>(DC); DC = DC->getParent()) {
        if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
            if (!NS->isInline())
                Names.Scopes.push_back(NS->isAnonymousNamespace()
                                               ? COLLECT_ANONYMOUS
                                               : NS->getName().str());
        } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
            Names.Scopes.push_back(RD->getName().empty() ? COLLECT_ANONYMOUS
                                                         : RD->getName().str());
        } else if (const auto *ND = dyn_cast<NamedDecl>(DC)) {
            Names.Scopes.push_back(ND->getNameAsString());
        }
    }
    std::reverse(Names.Scopes.begin(), Names.Scopes.end());
    for (const std::string &S : Names.Scopes)
        Names.Ptrs.push_back(S.c_str());

    const FunctionDecl *Where = FD->getDefinition();
    if (!Where)
        Where = FD->getCanonicalDecl();
    Names.Name = FD->getNameAsString();
    Names.KeyFile = fileOf(Where->getLocation());
    F.scopes = Names.Ptrs.data();
    F.scope_count = Names.Ptrs.size();
    F.name = Names.Name.c_str();
    F.internal = !FD->hasExternalFormalLinkage();
    F.key_file = Names.KeyFile.c_str();
}

bool Collector::firstReport(SourceLocation Loc, StringRef Text)
{
    PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(Loc));
    std::string Key = fileOf(Loc) + ":" +
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
void Collector::checkAnnotation(const char *Text, SourceLocation L)
{
    facts_annotation Ann;
    const char *Reason = nullptr;
    if (!Model || facts_parse_annotation(Text, &Ann, &Reason) <= 0)
        return;
    if (Ann.kind != ANNOTATION_ALLOW && !model_find_mitigation(Model, Ann.id)) {
        std::string Msg = std::string("unknown mitigation '") + Ann.id + "'";
        if (const char *Near = model_suggest_mitigation(Model, Ann.id))
            Msg += std::string(" (did you mean '") + Near + "'?)";
        else
            Msg += std::string(" (not in ") + Model->path + ")";
        report(L, "MT0001", Msg);
    }
    free(Ann.id);
    free(Ann.justification);
}

// Records the mitigate annotations written on declaration D of function
// Fn (or, for Fn -1, on something else). Copies inherited by later
// redeclarations are skipped, so each annotation counts once.
void Collector::readAnnotations(const Decl *D, size_t Fn)
{
    for (const auto *A : D->specific_attrs<AnnotateAttr>()) {
        if (A->isInherited() || !isMitigateAnnotation(A))
            continue;
        std::string Text = A->getAnnotation().str();
        Site At{A->getRange()};
        const char *Reason =
                collect_annotation(Core, (long)Fn, Text.c_str(), &At);
        if (!firstReport(A->getLocation(), Text))
            continue;
        if (Reason)
            report(A->getLocation(), "MT0008",
                   std::string("malformed mitigate annotation: ") + Reason);
        else
            checkAnnotation(Text.c_str(), A->getLocation());
    }
}

void Collector::visitFunction(FunctionDecl *FD)
{
    if (FD->isInvalidDecl() || FD->isDependentContext())
        return;
    collect_function F = {};
    FunctionNames Names;
    describe(FD, Names, F);
    for (const auto *A : FD->specific_attrs<AnnotateAttr>())
        F.annotated |= !A->isInherited() && isMitigateAnnotation(A);
    F.defined = FD->doesThisDeclarationHaveABody();
    F.in_system_header = SM.isInSystemHeader(FD->getLocation());
    Site Name{SourceRange(FD->getLocation(), FD->getLocation())};
    F.site = &Name;
    long Fn = collect_function_decl(Core, &F);
    if (Fn < 0)
        return;
    readAnnotations(FD, (size_t)Fn);
    if (F.defined)
        BodyWalker(*this, (size_t)Fn).walk(FD->getBody());
}

// Annotations on anything but a function are malformed.
void Collector::visitOtherDecl(Decl *D)
{
    readAnnotations(D, (size_t)-1);
}

void Collector::visitLocalVar(size_t Fn, VarDecl *VD)
{
    const auto *SL = dyn_cast_or_null<StringLiteral>(
            VD->getInit() ? VD->getInit()->IgnoreParenImpCasts() : nullptr);
    Site All{VD->getSourceRange()};
    Site Name{SourceRange(VD->getLocation(), VD->getLocation())};
    std::string Buf;
    collect_local(Core, Fn, plainName(VD, Buf),
                  VD->getType()->isVariableArrayType(),
                  SL ? (long)SL->getLength() : -1, &All, &Name);
}

void Collector::visitAssignment(size_t Fn, BinaryOperator *E)
{
    const auto *SL =
            dyn_cast<StringLiteral>(E->getRHS()->IgnoreParenImpCasts());
    if (!SL)
        return;
    Site R{E->getSourceRange()};
    collect_assignment(Core, Fn, nameOf(E->getLHS()).c_str(),
                       (long)SL->getLength(), &R);
}

void Collector::visitCall(size_t Fn, CallExpr *E)
{
    const FunctionDecl *FD = E->getDirectCallee();
    if (!FD && isa<CXXPseudoDestructorExpr>(E->getCallee()->IgnoreParens()))
        return;
    if (FD && !FD->getIdentifier())
        return;
    ArgText.clear();
    Site Call{E->getSourceRange(), E};
    collect_call(Core, Fn, FD ? FD->getIdentifier()->getNameStart() : nullptr,
                 E->getNumArgs(), &Call);
}

void Collector::visitReference(size_t Fn, const Expr *E, const ValueDecl *D,
                               bool Called)
{
    Site R{E->getSourceRange()};
    std::string Buf;
    if (const auto *VD = dyn_cast<VarDecl>(D)) {
        const auto *SL = dyn_cast_or_null<StringLiteral>(
                VD->getInit() ? VD->getInit()->IgnoreParenImpCasts() : nullptr);
        collect_variable_use(Core, Fn, plainName(VD, Buf),
                             VD->hasGlobalStorage(),
                             SL ? (long)SL->getLength() : -1, &R);
        return;
    }
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD)
        return;
    const IdentifierInfo *II = FD->getIdentifier();
    collect_function_use(Core, Fn, keyFor(FD).c_str(),
                         II ? II->getNameStart() : nullptr, Called, &R);
}

void BannedMacroUses::MacroExpands(const Token &Name, const MacroDefinition &,
                                   SourceRange, const MacroArgs *)
{
    const IdentifierInfo *II = Name.getIdentifierInfo();
    if (!II)
        return;
    auto It = Banned.find(II);
    if (It == Banned.end())
        It = Banned.insert({II, match_macro(Policy, II->getNameStart()) >= 0})
                     .first;
    if (!It->second)
        return;
    unsigned At = SM.getExpansionLoc(Name.getLocation()).getRawEncoding();
    Sorted = Sorted && (Uses.empty() || Uses.back() <= At);
    Uses.push_back(At);
}

// Within one file, raw locations order as offsets, and no other file's
// locations fall between two of them.
bool BannedMacroUses::within(SourceRange R)
{
    if (!Sorted) {
        std::sort(Uses.begin(), Uses.end());
        Sorted = true;
    }
    auto It = std::lower_bound(Uses.begin(), Uses.end(),
                               R.getBegin().getRawEncoding());
    return It != Uses.end() && *It <= R.getEnd().getRawEncoding();
}

// A statement a macro produced may be a use of a banned macro, unless
// the macro was used in a system header.
void Collector::visitStatement(size_t Fn, Stmt *S)
{
    // Nested expressions often begin with the same token, which the core
    // would judge the same way: each first token is looked at once.
    SourceLocation Begin = S->getBeginLoc();
    if (!Begin.isMacroID() || !collect_wants_macros(Core) ||
        !MacroStatements.insert(Begin).second)
        return;
    CharSourceRange Use = SM.getExpansionRange(Begin);
    if ((Uses && !Uses->within(Use.getAsRange())) ||
        SM.isInSystemHeader(Use.getBegin()))
        return;
    Site At{SourceRange(Begin, Begin)};
    collect_macro_statement(Core, Fn, &At);
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
    for (const Pending &P : Matches) {
        const facts_function *F = &TU->functions[P.Fn];
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
