# The Vagrant machines of a layout, read from layout.yml (the one description of every deployment).
# Used by the Vagrantfile and by machines.rb, which prints them as JSON for tests/infra.
require "yaml"

module CloudKartLayout
  class Error < StandardError; end

  Machine = Struct.new(:name, :address, :roles, :size, :memory_mb, :cpus, :public, keyword_init: true) do
    def to_h_json
      to_h.transform_keys(&:to_s)
    end
  end

  # Machines of `layout` in build order (a role after everything it connects to), limited to the
  # comma-separated names in `only` when given.
  def self.machines(layout_file, layout: "cloudkart-12", only: nil)
    spec = YAML.safe_load(File.read(layout_file))
    hosts = spec.fetch("layouts").fetch(layout) { raise Error, "layout.yml has no layout #{layout}" }.fetch("hosts")
    rank = spec.fetch("build_order").each_with_index.to_h
    machines = hosts.map { |h| machine(spec, h) }.sort_by { |m| m.roles.map { |r| rank.fetch(r) }.min }
    return machines if only.nil? || only.strip.empty?

    wanted = only.split(",").map(&:strip).reject(&:empty?)
    unknown = wanted - machines.map(&:name)
    raise Error, "CLOUDKART_HOSTS names unknown host(s) #{unknown.join(', ')} (have: #{machines.map(&:name).join(', ')})" unless unknown.empty?

    machines.select { |m| wanted.include?(m.name) }
  end

  def self.machine(spec, host)
    size = spec.fetch("sizes").fetch(host.fetch("size"))
    Machine.new(
      name: host.fetch("name"),
      address: host.fetch("address"),
      roles: host.fetch("roles"),
      size: host.fetch("size"),
      memory_mb: size.fetch("vm_memory_mb"),
      cpus: size.fetch("cpus"),
      public: host.fetch("roles").any? { |r| spec.fetch("roles").fetch(r).fetch("public", false) }
    )
  end
end
