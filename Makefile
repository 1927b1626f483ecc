# LeaderDemo operator. `make help` lists the targets.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c

IMG ?= leaderdemo-operator:dev
KUBECTL ?= kubectl
KIND ?= kind
KIND_CLUSTER ?= kind
MVN ?= mvn
MVN_FLAGS ?= -B -ntp
JAR := target/leaderdemo.jar
CRD := crds/leaderdemos.leaderdemo.dev-v1.yml

.DEFAULT_GOAL := help

##@ General

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*##"; printf "Usage: make <target> [IMG=registry/name:tag]\n"} \
	  /^[a-zA-Z0-9_-]+:.*?##/ { printf "  %-14s %s\n", $$1, $$2 } \
	  /^##@/ { printf "\n%s\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Try it (no cluster needed)

TEST_CLASSPATH := target/test-classpath.txt
TEST_JAVA = java -cp "target/test-classes:target/classes:$$(cat $(TEST_CLASSPATH))" \
	-Dleaderdemo.jar=$(JAR) -Dleaderdemo.basedir=$(CURDIR)

.PHONY: demo
demo: controlplane test-build ## The whole demo on this machine: control plane, 2 operators, demo pods as processes
	$(TEST_JAVA) dev.leaderdemo.local.LocalDemo

.PHONY: demo-smoke
demo-smoke: controlplane test-build ## The demo without a terminal: both failovers, a summary, exit 0 or the reason
	$(TEST_JAVA) dev.leaderdemo.local.LocalDemo --smoke

.PHONY: test-build
test-build:
	$(MVN) $(MVN_FLAGS) -q package -DskipTests dependency:build-classpath \
	  -Dmdep.outputFile=$(TEST_CLASSPATH) -Dmdep.includeScope=test

##@ Development

.PHONY: build
build: ## Build target/leaderdemo.jar (fails if crds/ differs from what the Java types generate)
	$(MVN) $(MVN_FLAGS) package -DskipTests

.PHONY: crd
crd: ## Regenerate crds/ from the Java types in src/main/java/dev/leaderdemo/api
	$(MVN) $(MVN_FLAGS) process-classes -Dcrd.update=true

.PHONY: controlplane
controlplane: ## Build the local control plane (kube-apiserver, etcd, kubectl, kube-controller-manager) if missing
	hack/controlplane.sh

.PHONY: test
test: controlplane ## Unit tests, then integration tests on the local control plane
	$(MVN) $(MVN_FLAGS) verify

.PHONY: bench
bench: controlplane test-build ## Failover, status latency, scale and footprint figures (about 20 min); see BENCHMARKS.md
	$(TEST_JAVA) dev.leaderdemo.bench.Benchmarks $(BENCH_ARGS)

.PHONY: run
run: build ## Run the operator on this machine against the current kubeconfig
	java -jar $(JAR) operator

##@ Deployment (against the current kubeconfig)

.PHONY: install
install: ## Install the CRD
	$(KUBECTL) apply --server-side -f $(CRD)

.PHONY: uninstall
uninstall: ## Remove the CRD, and with it every LeaderDemo and what they own
	$(KUBECTL) delete --ignore-not-found -f $(CRD)

.PHONY: deploy
deploy: install ## Install the CRD and run the operator (image IMG) in leaderdemo-system
	hack/deploy-overlay.sh $(IMG) target/deploy
	$(KUBECTL) apply -k target/deploy

.PHONY: undeploy
undeploy: ## Remove the operator (the CRD stays: see uninstall)
	$(KUBECTL) delete --ignore-not-found -k k8s

.PHONY: docker-build
docker-build: ## Build the image IMG
	docker build -t $(IMG) .

.PHONY: kind-load
kind-load: ## Load the image IMG into the kind cluster KIND_CLUSTER
	$(KIND) load docker-image $(IMG) --name $(KIND_CLUSTER)

.PHONY: clean
clean: ## Remove build outputs (the control plane in ~/.kubeapitest stays)
	rm -rf target
