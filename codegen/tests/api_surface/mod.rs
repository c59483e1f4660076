//! The public API of generated Rust files, one line per public item: module
//! path and signature, read back from the source with `syn`, so it states
//! what was rendered rather than what the model meant. A snapshot of it
//! shows each API change of an ingest once, in Rust terms.

use quote::ToTokens;
use syn::{Fields, ImplItem, Item, Visibility};

/// The lines of one file whose module path is `module` (`apis::users`).
pub fn surface(module: &str, source: &str) -> Vec<String> {
    let file = syn::parse_file(source).unwrap_or_else(|e| panic!("{module}: {e}"));
    let mut out = Vec::new();
    walk(module, &file.items, &mut out);
    out
}

fn walk(module: &str, items: &[Item], out: &mut Vec<String>) {
    for item in items {
        match item {
            Item::Struct(s) if public(&s.vis) => {
                let name = format!("{module}::{}", s.ident);
                out.push(format!(
                    "struct {name}{}{}",
                    generics(&s.generics),
                    gate(&s.attrs)
                ));
                if let Fields::Named(fields) = &s.fields {
                    for f in fields.named.iter().filter(|f| public(&f.vis)) {
                        let field = f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default();
                        out.push(format!("field {name}.{field}: {}", spell(&f.ty)));
                    }
                }
            }
            Item::Enum(e) if public(&e.vis) => {
                let name = format!("{module}::{}", e.ident);
                out.push(format!(
                    "enum {name}{}{}",
                    generics(&e.generics),
                    gate(&e.attrs)
                ));
                for v in &e.variants {
                    let payload = match &v.fields {
                        Fields::Unit => String::new(),
                        other => spell(other),
                    };
                    out.push(format!("variant {name}::{}{payload}", v.ident));
                }
            }
            Item::Type(t) if public(&t.vis) => out.push(format!(
                "type {module}::{}{} = {}{}",
                t.ident,
                generics(&t.generics),
                spell(&t.ty),
                gate(&t.attrs)
            )),
            Item::Const(c) if public(&c.vis) => {
                out.push(format!("const {module}::{}: {}", c.ident, spell(&c.ty)))
            }
            Item::Fn(f) if public(&f.vis) => {
                out.push(format!("fn {module}::{}{}", spell(&f.sig), gate(&f.attrs)))
            }
            Item::Mod(m) if public(&m.vis) => {
                out.push(format!("mod {module}::{}{}", m.ident, gate(&m.attrs)));
                if let Some((_, inner)) = &m.content {
                    walk(&format!("{module}::{}", m.ident), inner, out);
                }
            }
            Item::Use(u) if public(&u.vis) => out.push(format!(
                "use {module}: {}{}",
                spell(&u.tree),
                gate(&u.attrs)
            )),
            Item::Impl(i) => {
                let self_ty = spell(&i.self_ty);
                match &i.trait_ {
                    Some((path, _)) => out.push(format!(
                        "impl {module}: {} for {self_ty}{}",
                        spell(path),
                        gate(&i.attrs)
                    )),
                    None => {
                        for member in &i.items {
                            if let ImplItem::Fn(f) = member
                                && public(&f.vis)
                            {
                                out.push(format!(
                                    "fn {module}::{self_ty}::{}{}",
                                    spell(&f.sig),
                                    gate(&f.attrs)
                                ));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn generics(g: &syn::Generics) -> String {
    if g.params.is_empty() {
        String::new()
    } else {
        spell(g)
    }
}

/// `#[cfg(...)]` attributes, which say which features compile the item.
fn gate(attrs: &[syn::Attribute]) -> String {
    let gates: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .map(|a| spell(&a.meta))
        .collect();
    if gates.is_empty() {
        String::new()
    } else {
        format!("  #[{}]", gates.join(", "))
    }
}

/// Tokens as a person writes them: no spaces inside paths and generics.
fn spell(node: &impl ToTokens) -> String {
    let text = node.to_token_stream().to_string();
    let mut out = text
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" ::", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace("' a", "'a");
    out = out
        .replace(" : ", ": ")
        .replace(",)", ")")
        .replace(",>", ">")
        .replace(")->", ") ->");
    // A signature reads `name(args) -> T` after its item's path.
    match out.strip_prefix("fn ") {
        Some(rest) => rest.to_string(),
        None => out,
    }
}
