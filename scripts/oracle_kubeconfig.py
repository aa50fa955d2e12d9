"""The kubeconfig that points the real kubectl at a stand-in API server on a local
port: shared by kubectl-explain-openapiv2.py and explain-sample.py."""


def kubeconfig(port):
    return f"""apiVersion: v1
kind: Config
clusters:
- cluster: {{server: "http://127.0.0.1:{port}"}}
  name: oracle
contexts:
- context: {{cluster: oracle, user: oracle}}
  name: oracle
current-context: oracle
users:
- name: oracle
  user: {{}}
"""
