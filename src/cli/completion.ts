// `rvtrace completion bash|zsh`: a shell completion script, made from the same option lists that
// --help prints, so a new option completes without a change here. Commands complete after
// `rvtrace`, options after `-`, and files everywhere else (programs, their arguments, option values).
//
//   bash: source <(rvtrace completion bash)       or save it in ~/.local/share/bash-completion/completions/rvtrace
//   zsh:  source <(rvtrace completion zsh)        (after compinit), or save it as _rvtrace in a directory of $fpath

/** A command as completion sees it. */
export interface CompletionCommand {
  readonly name: string;
  readonly description: string;
  /** Option spellings (`--env`, `-e`) with their help lines. */
  readonly options: readonly { readonly flag: string; readonly help: string }[];
  /** Words that complete its first argument instead of files (help's commands, completion's shells). */
  readonly words?: readonly string[];
}

/** A word for a shell's single quotes. */
function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function bashCompletion(commands: readonly CompletionCommand[]): string {
  const cases = commands.map((c) => {
    const opts = c.options.map((o) => o.flag).join(" ");
    const words = c.words ? `\n      words=${quote(c.words.join(" "))}` : "";
    return `    ${c.name})\n      opts=${quote(opts)}${words}\n      ;;`;
  });
  return `# bash completion for rvtrace (rvtrace completion bash)
_rvtrace() {
  local cur=\${COMP_WORDS[COMP_CWORD]} opts="" words=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W ${quote(commands.map((c) => c.name).join(" ") + " --help --version")} -- "$cur"))
    return
  fi
  case \${COMP_WORDS[1]} in
${cases.join("\n")}
  esac
  if [ -n "$words" ] && [ "$COMP_CWORD" -eq 2 ]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -o bashdefault -F _rvtrace rvtrace
`;
}

/** `name:description` for zsh's _describe, with the colons in the name escaped. */
function describeItem(name: string, description: string): string {
  return quote(`${name.replace(/:/g, "\\:")}:${description}`);
}

export function zshCompletion(commands: readonly CompletionCommand[]): string {
  const items = commands.map((c) => `    ${describeItem(c.name, c.description)}`).join("\n");
  const cases = commands.map((c) => {
    const opts = c.options.map((o) => `      ${describeItem(o.flag, o.help)}`).join("\n");
    const choices = c.words ? `\n      choices=(${c.words.map(quote).join(" ")})` : "";
    return `    ${c.name})\n      opts=(\n${opts}\n      )${choices}\n      ;;`;
  });
  return `#compdef rvtrace
# zsh completion for rvtrace (rvtrace completion zsh)
_rvtrace() {
  # (words, CURRENT and PREFIX are zsh's: the command line, the word completed, its start)
  local -a commands opts choices
  commands=(
${items}
  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'rvtrace command' commands
    return
  fi
  case \${words[2]} in
${cases.join("\n")}
  esac
  if (( CURRENT == 3 && \${#choices} > 0 )); then
    compadd -a choices
  elif [[ $PREFIX == -* ]]; then
    _describe -t options 'option' opts
  else
    _files
  fi
}
if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _rvtrace "$@"
else
  compdef _rvtrace rvtrace
fi
`;
}
