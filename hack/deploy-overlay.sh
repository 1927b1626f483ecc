#!/usr/bin/env bash
# Writes a kustomize overlay of k8s/ that runs IMG, and makes DEMO_IMAGE (the image of the demo pods) follow it.
#   hack/deploy-overlay.sh IMG DIR   (DIR must lie inside the project: kustomize refuses absolute bases)
set -euo pipefail
img=${1:?usage: deploy-overlay.sh IMG DIR}
dir=${2:?usage: deploy-overlay.sh IMG DIR}
mkdir -p "$dir"
base=$(realpath --relative-to="$dir" "$(dirname "$0")/../k8s")

name=$img tag="" digest=""
case "$img" in
  *@*) name=${img%@*} digest=${img#*@} ;;
  *) last=${img##*/}; if [[ "$last" == *:* ]]; then name=${img%:*}; tag=${last##*:}; fi ;;
esac

{
  echo "apiVersion: kustomize.config.k8s.io/v1beta1"
  echo "kind: Kustomization"
  echo "resources:"
  echo "  - $base"
  echo "images:"
  echo "  - name: leaderdemo-operator"
  echo "    newName: $name"
  [ -z "$tag" ] || echo "    newTag: \"$tag\""
  [ -z "$digest" ] || echo "    digest: $digest"
  cat <<'YAML'
replacements:
  - source:
      kind: Deployment
      name: leaderdemo-operator
      fieldPath: spec.template.spec.containers.[name=operator].image
    targets:
      - select:
          kind: Deployment
          name: leaderdemo-operator
        fieldPaths:
          - spec.template.spec.containers.[name=operator].env.[name=DEMO_IMAGE].value
YAML
} > "$dir/kustomization.yaml"
