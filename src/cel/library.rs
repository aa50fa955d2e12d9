//! The Kubernetes CEL libraries that CRD rules commonly use, as far as kval has them:
//! lists (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`), regex (`find`,
//! `findAll`), URLs (`isURL`, `url` and its getters), quantities (`isQuantity`,
//! `quantity` and its comparisons and arithmetic), IP addresses and CIDRs (`isIP`,
//! `isCIDR`) and sets (`sets.contains`, `sets.equivalent`, `sets.intersects`). The
//! strings (`lowerAscii`, `split`, `join`, ...), lists and math extensions come with
//! the `cel` crate. A call to anything else makes the rule a counted skip.

use std::cmp::Ordering;
use std::sync::Arc;

use cel::common::types::{DYN_TYPE, INT_TYPE, LIST_TYPE, STRING_TYPE, Type};
use cel::common::value::{CowVal, Val};
use cel::objects::{Key, Map, Opaque};
use cel::{Env, ExecutionError, Value};

use super::macros;
use crate::kube::quantity;

type Result<T> = std::result::Result<T, ExecutionError>;
type Function = for<'b, 'v> fn(Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>>;

/// Adds the macros and functions to `env`.
pub fn add(env: &mut Env) {
    for m in macros::all() {
        let _ = env.add_macro(m);
    }
    let global: Vec<(&str, Vec<Type>, Function)> = vec![
        (macros::ORDERED, vec![DYN_TYPE], ordered),
        ("isURL", vec![STRING_TYPE], is_url),
        ("url", vec![STRING_TYPE], url),
        ("isQuantity", vec![STRING_TYPE], is_quantity),
        ("quantity", vec![STRING_TYPE], quantity),
        ("isIP", vec![STRING_TYPE], is_ip),
        ("isCIDR", vec![STRING_TYPE], is_cidr),
        ("sets.contains", vec![LIST_TYPE, LIST_TYPE], sets_contains),
        ("sets.equivalent", vec![LIST_TYPE, LIST_TYPE], sets_equivalent),
        ("sets.intersects", vec![LIST_TYPE, LIST_TYPE], sets_intersects),
    ];
    for (name, args, f) in global {
        let _ = env.add_overload(name, &format!("kval_{name}"), args, f);
    }
    let member: Vec<(&str, Type, Vec<Type>, Function)> = vec![
        ("isSorted", LIST_TYPE, vec![], is_sorted),
        ("sum", LIST_TYPE, vec![], sum),
        ("min", LIST_TYPE, vec![], min),
        ("max", LIST_TYPE, vec![], max),
        ("indexOf", LIST_TYPE, vec![DYN_TYPE], list_index_of),
        ("lastIndexOf", LIST_TYPE, vec![DYN_TYPE], list_last_index_of),
        ("find", STRING_TYPE, vec![STRING_TYPE], find),
        ("findAll", STRING_TYPE, vec![STRING_TYPE], find_all),
        ("findAll", STRING_TYPE, vec![STRING_TYPE, INT_TYPE], find_all_n),
        ("getScheme", DYN_TYPE, vec![], get_scheme),
        ("getHost", DYN_TYPE, vec![], get_host),
        ("getHostname", DYN_TYPE, vec![], get_hostname),
        ("getPort", DYN_TYPE, vec![], get_port),
        ("getEscapedPath", DYN_TYPE, vec![], get_escaped_path),
        ("getQuery", DYN_TYPE, vec![], get_query),
        ("sign", DYN_TYPE, vec![], sign),
        ("isInteger", DYN_TYPE, vec![], is_integer),
        ("asInteger", DYN_TYPE, vec![], as_integer_fn),
        ("asApproximateFloat", DYN_TYPE, vec![], as_approximate_float),
        ("isLessThan", DYN_TYPE, vec![DYN_TYPE], is_less_than),
        ("isGreaterThan", DYN_TYPE, vec![DYN_TYPE], is_greater_than),
        ("compareTo", DYN_TYPE, vec![DYN_TYPE], compare_to),
        ("add", DYN_TYPE, vec![DYN_TYPE], quantity_add),
        ("sub", DYN_TYPE, vec![DYN_TYPE], quantity_sub),
    ];
    for (name, target, args, f) in member {
        let id = format!("kval_member_{name}_{}", args.len());
        let _ = env.add_member_overload(name, &id, target, args, f);
    }
}

fn arg(args: &[CowVal<'_, '_>], i: usize) -> Result<Value> {
    let v = args.get(i).ok_or_else(|| ExecutionError::invalid_argument_count(i + 1, args.len()))?;
    Value::try_from(v.as_ref())
}

fn ok<'b, 'v>(value: Value) -> Result<CowVal<'b, 'v>> {
    let val: Box<dyn Val> = value.try_into()?;
    Ok(CowVal::Owned(val))
}

fn string(value: &Value) -> Result<&str> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(ExecutionError::UnexpectedType { got: format!("{:?}", other.type_of()), want: "string".into() }),
    }
}

fn list(value: &Value) -> Result<&[Value]> {
    match value {
        Value::List(items) => Ok(items),
        other => Err(ExecutionError::UnexpectedType { got: format!("{:?}", other.type_of()), want: "list".into() }),
    }
}

/// A map's keys in sorted order, anything else as it is (see [`macros`]).
fn ordered<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    match arg(&args, 0)? {
        Value::Map(map) => {
            let mut keys: Vec<&Key> = map.map.keys().collect();
            keys.sort_by(|a, b| key_order(a, b));
            ok(Value::List(Arc::new(keys.into_iter().map(|k| Value::from(k.clone())).collect())))
        }
        _ => args.into_iter().next().ok_or_else(|| ExecutionError::invalid_argument_count(1, 0)),
    }
}

fn key_order(a: &Key, b: &Key) -> Ordering {
    let rank = |k: &Key| match k {
        Key::Bool(_) => 0,
        Key::Int(_) => 1,
        Key::Uint(_) => 2,
        Key::String(_) => 3,
    };
    match (a, b) {
        (Key::Bool(x), Key::Bool(y)) => x.cmp(y),
        (Key::Int(x), Key::Int(y)) => x.cmp(y),
        (Key::Uint(x), Key::Uint(y)) => x.cmp(y),
        (Key::String(x), Key::String(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

fn compare_values(a: &Value, b: &Value) -> Result<Ordering> {
    a.partial_cmp(b).ok_or_else(|| ExecutionError::ValuesNotComparable(a.clone(), b.clone()))
}

fn is_sorted<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    let value = arg(&args, 0)?;
    let items = list(&value)?;
    for (a, b) in items.iter().zip(items.iter().skip(1)) {
        if compare_values(a, b)? == Ordering::Greater {
            return ok(Value::Bool(false));
        }
    }
    ok(Value::Bool(true))
}

fn sum<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    let value = arg(&args, 0)?;
    let items = list(&value)?;
    if items.iter().all(|v| matches!(v, Value::Int(_))) {
        let total = items.iter().try_fold(0i64, |acc, v| match v {
            Value::Int(i) => acc.checked_add(*i),
            _ => Some(acc),
        });
        return total
            .map_or_else(|| Err(ExecutionError::function_error("sum", "integer overflow")), |t| ok(Value::Int(t)));
    }
    let total = items.iter().try_fold(0.0, |acc, v| match v {
        Value::Int(i) => Ok(acc + *i as f64),
        Value::UInt(u) => Ok(acc + *u as f64),
        Value::Float(f) => Ok(acc + f),
        _ => Err(ExecutionError::function_error("sum", "the list holds a value that is not a number")),
    })?;
    ok(Value::Float(total))
}

fn extreme<'b, 'v>(args: Vec<CowVal<'b, 'v>>, name: &str, want: Ordering) -> Result<CowVal<'b, 'v>> {
    let value = arg(&args, 0)?;
    let items = list(&value)?;
    let mut best = items.first().ok_or_else(|| ExecutionError::function_error(name, "the list is empty"))?;
    for item in items.iter().skip(1) {
        if compare_values(item, best)? == want {
            best = item;
        }
    }
    ok(best.clone())
}

fn min<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    extreme(args, "min", Ordering::Less)
}

fn max<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    extreme(args, "max", Ordering::Greater)
}

fn index_in(args: &[CowVal<'_, '_>], last: bool) -> Result<Value> {
    let (value, needle) = (arg(args, 0)?, arg(args, 1)?);
    let items = list(&value)?;
    let found = if last { items.iter().rposition(|v| *v == needle) } else { items.iter().position(|v| *v == needle) };
    Ok(Value::Int(found.map_or(-1, |i| i as i64)))
}

fn list_index_of<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    ok(index_in(&args, false)?)
}

fn list_last_index_of<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    ok(index_in(&args, true)?)
}

fn regex(pattern: &str) -> Result<regex::Regex> {
    regex::Regex::new(pattern).map_err(|e| ExecutionError::function_error("find", e))
}

fn find<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    let (text, pattern) = (arg(&args, 0)?, arg(&args, 1)?);
    let found = regex(string(&pattern)?)?.find(string(&text)?).map_or("", |m| m.as_str()).to_string();
    ok(Value::from(found))
}

fn find_all_limited(args: &[CowVal<'_, '_>], limit: Option<i64>) -> Result<Value> {
    let (text, pattern) = (arg(args, 0)?, arg(args, 1)?);
    let re = regex(string(&pattern)?)?;
    let limit = match limit {
        Some(n) if n >= 0 => n as usize,
        _ => usize::MAX,
    };
    let found = re.find_iter(string(&text)?).take(limit).map(|m| Value::from(m.as_str().to_string())).collect();
    Ok(Value::List(Arc::new(found)))
}

fn find_all<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    ok(find_all_limited(&args, None)?)
}

fn find_all_n<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    let n = match arg(&args, 2)? {
        Value::Int(n) => n,
        _ => -1,
    };
    ok(find_all_limited(&args, Some(n))?)
}

fn sets<'b, 'v>(args: Vec<CowVal<'b, 'v>>, test: fn(&[Value], &[Value]) -> bool) -> Result<CowVal<'b, 'v>> {
    let (a, b) = (arg(&args, 0)?, arg(&args, 1)?);
    ok(Value::Bool(test(list(&a)?, list(&b)?)))
}

fn sets_contains<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    sets(args, |a, b| b.iter().all(|x| a.contains(x)))
}

fn sets_equivalent<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    sets(args, |a, b| b.iter().all(|x| a.contains(x)) && a.iter().all(|x| b.contains(x)))
}

fn sets_intersects<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    sets(args, |a, b| b.iter().any(|x| a.contains(x)))
}

fn is_ip<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    let text = arg(&args, 0)?;
    ok(Value::Bool(string(&text)?.parse::<std::net::IpAddr>().is_ok()))
}

fn is_cidr<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    let text = arg(&args, 0)?;
    ok(Value::Bool(crate::check::formats::is_cidr(string(&text)?)))
}

/// A parsed URL (`url()`): absolute, with a scheme, or an absolute path.
#[derive(Debug, PartialEq, Eq)]
struct Url {
    scheme: String,
    host: String,
    path: String,
    query: String,
}

impl Opaque for Url {
    fn runtime_type_name(&self) -> &str {
        "kubernetes.URL"
    }
}

impl Url {
    fn parse(text: &str) -> Option<Url> {
        let text = text.split('#').next().unwrap_or("");
        let (rest, query) = text.split_once('?').unwrap_or((text, ""));
        if rest.starts_with('/') {
            return Some(Url { scheme: String::new(), host: String::new(), path: rest.into(), query: query.into() });
        }
        let (scheme, rest) = rest.split_once(':')?;
        let mut chars = scheme.chars();
        let valid_scheme = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if !valid_scheme || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return None;
        }
        let (host, path) = match rest.strip_prefix("//") {
            Some(authority) => {
                let (host, path) = authority.split_at(authority.find('/').unwrap_or(authority.len()));
                let host = host.rsplit('@').next().unwrap_or("");
                (host.to_string(), path.to_string())
            }
            None => (String::new(), rest.to_string()),
        };
        Some(Url { scheme: scheme.into(), host, path, query: query.into() })
    }

    /// The host without its port (and without the brackets of an IPv6 address).
    fn hostname(&self) -> String {
        if let Some(inner) = self.host.strip_prefix('[') {
            return inner.split(']').next().unwrap_or("").to_string();
        }
        self.host.split(':').next().unwrap_or("").to_string()
    }

    fn port(&self) -> String {
        let after = self.host.rsplit_once(']').map_or(self.host.as_str(), |(_, rest)| rest);
        after.rsplit_once(':').map_or("", |(_, port)| port).to_string()
    }

    fn query(&self) -> Value {
        let mut map: std::collections::HashMap<Key, Vec<Value>> = std::collections::HashMap::new();
        for pair in self.query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            map.entry(Key::String(Arc::new(k.to_string()))).or_default().push(Value::from(v.to_string()));
        }
        Value::Map(Map { map: Arc::new(map.into_iter().map(|(k, v)| (k, Value::List(Arc::new(v)))).collect()) })
    }
}

fn is_url<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    let text = arg(&args, 0)?;
    ok(Value::Bool(Url::parse(string(&text)?).is_some()))
}

fn url<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    let text = arg(&args, 0)?;
    let text = string(&text)?;
    let parsed =
        Url::parse(text).ok_or_else(|| ExecutionError::function_error("url", format!("invalid URL: {text}")))?;
    ok(Value::Opaque(Arc::new(parsed)))
}

fn url_part<'b, 'v>(args: Vec<CowVal<'b, 'v>>, part: fn(&Url) -> Value) -> Result<CowVal<'b, 'v>> {
    match arg(&args, 0)? {
        Value::Opaque(o) if o.downcast_ref::<Url>().is_some() => ok(o.downcast_ref::<Url>().map_or(Value::Null, part)),
        other => Err(ExecutionError::UnexpectedType { got: format!("{:?}", other.type_of()), want: "URL".into() }),
    }
}

/// A resource quantity (`quantity()`), by its value in base units.
#[derive(Debug)]
struct Quantity(f64);

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for Quantity {}

impl Opaque for Quantity {
    fn runtime_type_name(&self) -> &str {
        "kubernetes.Quantity"
    }
}

impl Quantity {
    fn value(v: f64) -> Value {
        Value::Opaque(Arc::new(Quantity(v)))
    }
}

fn is_quantity<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    let text = arg(&args, 0)?;
    ok(Value::Bool(quantity::parse(string(&text)?).is_some()))
}

fn quantity<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
    let text = arg(&args, 0)?;
    let text = string(&text)?;
    let q = quantity::parse(text)
        .ok_or_else(|| ExecutionError::function_error("quantity", format!("invalid quantity: {text}")))?;
    ok(Quantity::value(q))
}

fn quantity_of(value: &Value) -> Option<f64> {
    match value {
        Value::Opaque(o) => o.downcast_ref::<Quantity>().map(|q| q.0),
        _ => None,
    }
}

/// The other operand of a quantity operation: a quantity or an integer.
fn operand(value: Option<&Value>) -> Result<f64> {
    match value {
        Some(Value::Int(i)) => Ok(*i as f64),
        Some(v) => quantity_of(v).ok_or_else(|| ExecutionError::function_error("quantity", "expected a quantity")),
        None => Err(ExecutionError::invalid_argument_count(2, 1)),
    }
}

fn quantity_op<'b, 'v>(
    args: Vec<CowVal<'b, 'v>>,
    op: impl Fn(f64, Option<&Value>) -> Result<Value>,
) -> Result<CowVal<'b, 'v>> {
    let this = arg(&args, 0)?;
    let q = quantity_of(&this).ok_or_else(|| ExecutionError::UnexpectedType {
        got: format!("{:?}", this.type_of()),
        want: "Quantity".into(),
    })?;
    let other = if args.len() > 1 { Some(arg(&args, 1)?) } else { None };
    ok(op(q, other.as_ref())?)
}

fn as_integer(q: f64, _: Option<&Value>) -> Result<Value> {
    if q.fract() == 0.0 && q.abs() < 9.2e18 {
        Ok(Value::Int(q as i64))
    } else {
        Err(ExecutionError::function_error("asInteger", "the quantity is not an integer"))
    }
}

fn compare<'b, 'v>(args: Vec<CowVal<'b, 'v>>, result: fn(Ordering) -> Value) -> Result<CowVal<'b, 'v>> {
    quantity_op(args, |q, o| Ok(result(q.partial_cmp(&operand(o)?).unwrap_or(Ordering::Equal))))
}

/// Declares member functions that apply `$body` to their arguments.
macro_rules! functions {
    ($($name:ident = $body:expr;)*) => {
        $(fn $name<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>> {
            $body(args)
        })*
    };
}

functions! {
    get_scheme = |a| url_part(a, |u| Value::from(u.scheme.clone()));
    get_host = |a| url_part(a, |u| Value::from(u.host.clone()));
    get_hostname = |a| url_part(a, |u| Value::from(u.hostname()));
    get_port = |a| url_part(a, |u| Value::from(u.port()));
    get_escaped_path = |a| url_part(a, |u| Value::from(u.path.clone()));
    get_query = |a| url_part(a, Url::query);
    sign = |a| quantity_op(a, |q, _| Ok(Value::Int(q.signum() as i64)));
    is_integer = |a| quantity_op(a, |q, _| Ok(Value::Bool(q.fract() == 0.0)));
    as_integer_fn = |a| quantity_op(a, as_integer);
    as_approximate_float = |a| quantity_op(a, |q, _| Ok(Value::Float(q)));
    is_less_than = |a| compare(a, |o| Value::Bool(o == Ordering::Less));
    is_greater_than = |a| compare(a, |o| Value::Bool(o == Ordering::Greater));
    compare_to = |a| compare(a, |o| Value::Int(o as i64));
    quantity_add = |a| quantity_op(a, |q, o| Ok(Quantity::value(q + operand(o)?)));
    quantity_sub = |a| quantity_op(a, |q, o| Ok(Quantity::value(q - operand(o)?)));
}
